// GDX_NOW: one reader, strict about its shape.
#include "util/run_clock.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

#include "util/error.hpp"

namespace gdx::util {
namespace {

struct ScopedEnv {
    ScopedEnv(const char* tz, const char* now) {
        ::setenv("TZ", tz, 1);
        ::setenv(kNowEnv, now, 1);
    }
    ~ScopedEnv() {
        ::unsetenv(kNowEnv);
        ::unsetenv("TZ");
    }
};

TEST(RunClock, GdxNowIsLocalTimeAndItsInstantIsUtc) {
    ScopedEnv env("America/Vancouver", "2024-02-16T06:00:01");
    const auto clock = pinned_clock();
    ASSERT_TRUE(clock.has_value());
    EXPECT_EQ(std::chrono::system_clock::to_time_t(clock->instant), 1708092001);  // 14:00:01Z
    EXPECT_EQ(clock->local.time_since_epoch().count(), 1708063201);               // 06:00:01
}

TEST(RunClock, UnsetOrEmptyMeansTheSystemClock) {
    ::unsetenv(kNowEnv);
    EXPECT_FALSE(pinned_clock().has_value());
    ScopedEnv env("UTC", "");
    EXPECT_FALSE(pinned_clock().has_value());
    const auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
    EXPECT_GE(run_clock().instant, before);
}

TEST(RunClock, AnythingButYyyyMmDdTHhMmSsIsAConfigErrorNamingTheVariable) {
    for (const char* bad : {"2024-2-1T1:2:3", " 2024-02-16T06:00:01", "2024-02-16 06:00:01",
                            "2024-02-16T06:00", "2024-02-30T06:00:01", "2024-02-16T06:00:01Z"}) {
        ScopedEnv env("UTC", bad);
        try {
            pinned_clock();
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("GDX_NOW"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace gdx::util
