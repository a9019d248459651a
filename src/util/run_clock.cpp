#include "util/run_clock.hpp"

#include <cstdlib>
#include <ctime>
#include <string_view>

#include <date/date.h>

#include "util/env.hpp"
#include "util/error.hpp"

namespace gdx::util {

namespace {

// Exactly YYYY-MM-DDTHH:MM:SS: strptime alone takes "2024-2-1T1:2:3" and leading spaces.
bool has_local_time_shape(const std::string& text) {
    static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd";
    if (text.size() != kShape.size()) return false;
    for (size_t i = 0; i < kShape.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (kShape[i] == 'd' ? !digit : text[i] != kShape[i]) return false;
    }
    return true;
}

}  // namespace

RunClock clock_at_local(const std::string& text, const std::string& what) {
    std::tm tm{};
    const char* end =
        has_local_time_shape(text) ? strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) : nullptr;
    if (end == nullptr || *end != '\0')
        throw ConfigError(what + " \"" + text + "\" is not a local time YYYY-MM-DDTHH:MM:SS");
    const date::year_month_day ymd{date::year{tm.tm_year + 1900},
                                   date::month{static_cast<unsigned>(tm.tm_mon + 1)},
                                   date::day{static_cast<unsigned>(tm.tm_mday)}};
    if (!ymd.ok()) throw ConfigError(what + " \"" + text + "\" is not a valid date");
    RunClock c;
    c.local = std::chrono::sys_seconds(date::sys_days(ymd).time_since_epoch()) +
              std::chrono::hours(tm.tm_hour) + std::chrono::minutes(tm.tm_min) +
              std::chrono::seconds(tm.tm_sec);
    tm.tm_isdst = -1;  // let the C library decide from TZ
    const time_t t = mktime(&tm);
    c.instant = std::chrono::system_clock::from_time_t(t);
    return c;
}

std::optional<RunClock> pinned_clock() {
    const std::string pinned = env_string(kNowEnv);
    if (pinned.empty()) return std::nullopt;
    return clock_at_local(pinned, kNowEnv);
}

RunClock run_clock() {
    if (auto pinned = pinned_clock()) return *pinned;
    RunClock c;
    c.instant = std::chrono::system_clock::now();
    const time_t t = std::chrono::system_clock::to_time_t(c.instant);
    std::tm tm{};
    localtime_r(&t, &tm);
    c.local = std::chrono::sys_seconds(std::chrono::seconds(t + tm.tm_gmtoff));
    return c;
}

}  // namespace gdx::util
