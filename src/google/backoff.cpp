#include "google/backoff.hpp"

#include <charconv>
#include <sstream>
#include <string>

#include <cstring>

#include <date/date.h>

#include "google/settings.hpp"

namespace gdx::google {
namespace {

// IMF-fixdate, "Wed, 21 Oct 2026 07:28:00 GMT" (the only form HTTP/1.1 senders may use).
std::optional<date::sys_seconds> parse_http_date(std::string_view v) {
    static constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (v.size() != 29 || v[3] != ',' || v.substr(25) != " GMT") return std::nullopt;
    auto month_at = kMonths.find(v.substr(8, 3));
    if (month_at == std::string_view::npos || month_at % 3 != 0) return std::nullopt;
    char iso[11];
    std::memcpy(iso, v.data() + 12, 4);  // year
    iso[4] = '-';
    unsigned month = static_cast<unsigned>(month_at / 3 + 1);
    iso[5] = static_cast<char>('0' + month / 10);
    iso[6] = static_cast<char>('0' + month % 10);
    iso[7] = '-';
    std::memcpy(iso + 8, v.data() + 5, 2);  // day
    auto day = parse_iso_date(std::string_view(iso, 10));
    auto time = parse_clock_time(v.substr(17, 8));
    if (!day || !time) return std::nullopt;
    return date::sys_seconds(*day) + *time;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return std::nullopt;
    long seconds = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && p == value.data() + value.size())
        return seconds < 0 ? std::nullopt
                           : std::optional(std::chrono::milliseconds(seconds * 1000));
    auto when = parse_http_date(value);
    if (!when) return std::nullopt;
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*when - now);
    return wait.count() > 0 ? wait : std::chrono::milliseconds(0);
}

std::chrono::milliseconds retry_wait(const BackoffPolicy& policy, int retry_index,
                                     std::optional<std::chrono::milliseconds> retry_after) {
    auto wait = util::backoff_delay(policy.retry, retry_index);
    if (retry_after && *retry_after > wait) wait = *retry_after;
    return wait;
}

}  // namespace gdx::google
