#include "google/backoff.hpp"

#include <gtest/gtest.h>

#include "google/settings.hpp"

namespace gdx::google {
namespace {

using std::chrono::milliseconds;

TEST(RetryAfter, DeltaSecondsAndHttpDate) {
    auto now = date::sys_days(date::year{2026} / 10 / 21) + std::chrono::hours(7) +
               std::chrono::minutes(27) + std::chrono::seconds(58);
    EXPECT_EQ(parse_retry_after("2", now), milliseconds(2000));
    EXPECT_EQ(parse_retry_after(" 120 ", now), milliseconds(120000));
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now), milliseconds(2000));
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now), milliseconds(0));
    EXPECT_FALSE(parse_retry_after("", now));
    EXPECT_FALSE(parse_retry_after("soon", now));
    EXPECT_FALSE(parse_retry_after("-3", now));
    EXPECT_FALSE(parse_retry_after("Wed, 21 Foo 2026 07:28:00 GMT", now));
}

TEST(RetryWait, FullJitterUnderTheCeilingButAtLeastRetryAfter) {
    BackoffPolicy p;
    for (int i = 0; i < 50; ++i) {
        EXPECT_LE(retry_wait(p, 0, std::nullopt), milliseconds(1000));
        EXPECT_LE(retry_wait(p, 10, std::nullopt), milliseconds(64000));
        EXPECT_GE(retry_wait(p, 0, milliseconds(5000)), milliseconds(5000));
    }
}

TEST(Settings, DatesAndTimestamps) {
    EXPECT_EQ(iso_date(*parse_iso_date("2024-02-29")), "2024-02-29");
    EXPECT_FALSE(parse_iso_date("2023-02-29"));
    EXPECT_FALSE(parse_iso_date("2023-2-28"));
    auto t = parse_utc_timestamp("2026-05-20T19:00:01Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(date::format("%F %T", *t), "2026-05-20 19:00:01");
    EXPECT_FALSE(parse_utc_timestamp("2026-05-20 19:00:01"));
}

TEST(Settings, EnvironmentIsReadAndCheckedOnce) {
    ::setenv("GDX_TODAY", "2026-05-20", 1);
    ::setenv("GDX_BACKOFF_SCALE", "0", 1);
    ::setenv("GDX_SEARCHCONSOLE_BASE", "http://127.0.0.1:1/", 1);
    auto s = GoogleSettings::from_env();
    EXPECT_EQ(iso_date(s.today), "2026-05-20");
    EXPECT_EQ(s.backoff_scale, 0.0);
    EXPECT_EQ(s.searchconsole_base, "http://127.0.0.1:1");
    ::setenv("GDX_TODAY", "20.5.2026", 1);
    EXPECT_THROW(GoogleSettings::from_env(), ConfigError);
    ::setenv("GDX_TODAY", "2026-05-20", 1);
    ::setenv("GDX_BACKOFF_SCALE", "fast", 1);
    EXPECT_THROW(GoogleSettings::from_env(), ConfigError);
    ::unsetenv("GDX_TODAY");
    ::unsetenv("GDX_BACKOFF_SCALE");
    ::unsetenv("GDX_SEARCHCONSOLE_BASE");
}

}  // namespace
}  // namespace gdx::google
