#include "util/time_format.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <ctime>

namespace gdx::util {

std::string format_vancouver(std::chrono::system_clock::time_point time) {
    static const date::time_zone* zone = date::locate_zone("America/Vancouver");
    const auto secs = std::chrono::floor<std::chrono::seconds>(time);
    return date::format("%Y-%m-%d %H:%M:%S%z (%Z)", date::make_zoned(zone, secs));
}

std::string format_timedelta(std::chrono::microseconds duration) {
    constexpr int64_t kUsPerDay = 86'400'000'000;
    const int64_t total = duration.count();
    // Python normalises to days (may be negative) plus a non-negative remainder.
    int64_t days = total / kUsPerDay;
    int64_t rem = total % kUsPerDay;
    if (rem < 0) {
        rem += kUsPerDay;
        --days;
    }
    const int64_t us = rem % 1'000'000;
    const int64_t secs = rem / 1'000'000;
    std::string out;
    if (days != 0) out = fmt::format("{} day{}, ", days, (days == 1 || days == -1) ? "" : "s");
    out += fmt::format("{}:{:02d}:{:02d}", secs / 3600, (secs / 60) % 60, secs % 60);
    if (us != 0) out += fmt::format(".{:06d}", us);
    return out;
}

std::string format_python_local(std::chrono::system_clock::time_point time) {
    const auto t = std::chrono::system_clock::to_time_t(time);
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch()) %
              std::chrono::seconds(1);
    if (us.count() < 0) us += std::chrono::seconds(1);
    std::tm tm{};
    localtime_r(&t, &tm);
    std::string s = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (us.count()) s += fmt::format(".{:06}", us.count());
    return s;
}

}  // namespace gdx::util
