#include "google/settings.hpp"

#include <charconv>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "util/env.hpp"
#include "util/error.hpp"

namespace gdx::google {
namespace {

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

std::optional<date::sys_days> parse_iso_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    auto num = [&](size_t at, size_t len, auto& out) {
        auto [p, ec] = std::from_chars(t.data() + at, t.data() + at + len, out);
        return ec == std::errc() && p == t.data() + at + len;
    };
    if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return date::sys_days(ymd);
}

std::optional<std::chrono::seconds> parse_clock_time(std::string_view t) {
    if (t.size() != 8 || t[2] != ':' || t[5] != ':') return std::nullopt;
    int part[3];
    for (int i = 0; i < 3; ++i) {
        auto [p, ec] = std::from_chars(t.data() + i * 3, t.data() + i * 3 + 2, part[i]);
        if (ec != std::errc() || p != t.data() + i * 3 + 2) return std::nullopt;
    }
    if (part[0] > 23 || part[1] > 59 || part[2] > 60) return std::nullopt;
    return std::chrono::seconds(part[0] * 3600 + part[1] * 60 + part[2]);
}

std::optional<date::sys_seconds> parse_utc_timestamp(std::string_view t) {
    if (t.size() != 20 || t[10] != 'T' || t[19] != 'Z') return std::nullopt;
    auto day = parse_iso_date(t.substr(0, 10));
    auto time = parse_clock_time(t.substr(11, 8));
    if (!day || !time) return std::nullopt;
    return date::sys_seconds(*day) + *time;
}

std::string iso_date(date::sys_days day) {
    return date::format("%F", day);
}

GoogleSettings GoogleSettings::from_env() {
    GoogleSettings s;
    s.token_uri = util::env_string("GDX_TOKEN_URI");
    for (auto [name, base] : {std::pair{"GDX_SEARCHCONSOLE_BASE", &s.searchconsole_base},
                              std::pair{"GDX_GBP_ACCOUNTS_BASE", &s.gbp_accounts_base},
                              std::pair{"GDX_GBP_INFO_BASE", &s.gbp_info_base},
                              std::pair{"GDX_GBP_PERF_BASE", &s.gbp_perf_base}})
        if (auto value = util::env_string(name); !value.empty())
            *base = without_trailing_slash(value);
    if (auto today = util::env_string("GDX_TODAY"); !today.empty()) {
        auto day = parse_iso_date(today);
        if (!day) throw ConfigError(fmt::format("GDX_TODAY='{}' is not a date YYYY-MM-DD", today));
        s.today = *day;
    } else {
        std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);  // the originals used the host's local date
        s.today = date::sys_days(date::year{local.tm_year + 1900} /
                                 date::month{static_cast<unsigned>(local.tm_mon + 1)} /
                                 date::day{static_cast<unsigned>(local.tm_mday)});
    }
    if (auto scale = util::env_string("GDX_BACKOFF_SCALE"); !scale.empty()) {
        char* end = nullptr;
        double v = std::strtod(scale.c_str(), &end);
        if (end == scale.c_str() || *end != '\0' || !(v >= 0) || v > 1000)
            throw ConfigError(
                fmt::format("GDX_BACKOFF_SCALE='{}' is not a number between 0 and 1000", scale));
        s.backoff_scale = v;
    }
    return s;
}

void scaled_sleep(std::chrono::milliseconds delay, double scale) {
    if (scale <= 0 || delay.count() <= 0) return;
    std::this_thread::sleep_for(
        std::chrono::duration<double, std::milli>(static_cast<double>(delay.count()) * scale));
}

}  // namespace gdx::google
