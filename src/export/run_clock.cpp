#include "export/run_clock.hpp"

#include <cstdlib>
#include <ctime>

#include <date/date.h>

#include "util/error.hpp"

namespace gdx::exports {

RunClock clock_at_local(const std::string& text, const std::string& what) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
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

RunClock run_clock() {
    if (const char* pinned = std::getenv(kNowEnv); pinned && *pinned)
        return clock_at_local(pinned, kNowEnv);
    RunClock c;
    c.instant = std::chrono::system_clock::now();
    const time_t t = std::chrono::system_clock::to_time_t(c.instant);
    std::tm tm{};
    localtime_r(&t, &tm);
    c.local = std::chrono::sys_seconds(std::chrono::seconds(t + tm.tm_gmtoff));
    return c;
}

std::string key_timestamp(const RunClock& clock) {
    return date::format("%Y%m%dT%H%M%S", clock.local);
}

std::string local_date_minus(const RunClock& clock, int days) {
    const auto day = std::chrono::floor<date::days>(clock.local) - date::days(days);
    return date::format("%Y%m%d", day);
}

}  // namespace gdx::exports
