#pragma once
// The environment the Google jobs read: base URLs (tests point them at a fake server), a pinned
// "today", and the scale of every sleep (backoff and pacing).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <date/date.h>

namespace gdx::google {

struct GoogleSettings {
    std::string token_uri;  // GDX_TOKEN_URI: overrides the credential file's token_uri
    std::string searchconsole_base =
        "https://searchconsole.googleapis.com";  // GDX_SEARCHCONSOLE_BASE
    // The three Business Profile hosts: accounts, locations, daily metrics.
    std::string gbp_accounts_base =
        "https://mybusinessaccountmanagement.googleapis.com";  // GDX_GBP_ACCOUNTS_BASE
    std::string gbp_info_base =
        "https://mybusinessbusinessinformation.googleapis.com";  // GDX_GBP_INFO_BASE
    std::string gbp_perf_base =
        "https://businessprofileperformance.googleapis.com";  // GDX_GBP_PERF_BASE
    date::sys_days today;        // GDX_TODAY (YYYY-MM-DD), else the host's local date
    double backoff_scale = 1.0;  // GDX_BACKOFF_SCALE: 0 = never sleep, 1 = real waits

    // Throws ConfigError naming the variable for a malformed value.
    static GoogleSettings from_env();
};

// "YYYY-MM-DD" -> day; nullopt when malformed or not a real date.
std::optional<date::sys_days> parse_iso_date(std::string_view text);
std::string iso_date(date::sys_days day);
// "YYYY-MM-DDTHH:MM:SSZ" (the credential store's token_expiry) -> time; nullopt if malformed.
std::optional<date::sys_seconds> parse_utc_timestamp(std::string_view text);
// Hours, minutes and seconds of "HH:MM:SS"; nullopt if malformed.
std::optional<std::chrono::seconds> parse_clock_time(std::string_view text);

// Sleeps `delay` × scale (nothing when the scale is 0).
void scaled_sleep(std::chrono::milliseconds delay, double scale);

}  // namespace gdx::google
