#include "store/s3/s3_time.hpp"

#include <curl/curl.h>

#include <cstdio>
#include <string>

namespace gdx::store::s3 {
namespace {

// system_clock counts nanoseconds in 64 bits: 1677-09-21 .. 2262-04-11. A timestamp outside
// (a server's garbage, a year 9999 sentinel) is refused rather than overflowing.
constexpr int kFirstYear = 1678, kLastYear = 2261;
constexpr time_t kFirstTime = -9'000'000'000, kLastTime = 9'000'000'000;

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
    using namespace std::chrono;
    std::string s(text);
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, consumed = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec,
                    &consumed) != 6) {
        return std::nullopt;
    }
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    // sscanf's %d takes a sign: "-1" must not pass as an hour.
    if (y < kFirstYear || y > kLastYear || !ymd.ok() || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        sec < 0 || sec > 60)
        return std::nullopt;
    auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
    std::string_view rest = text.substr(consumed);
    microseconds fraction{0};
    if (!rest.empty() && rest[0] == '.') {
        long scale = 100000;
        size_t i = 1;
        for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i, scale /= 10) {
            fraction += microseconds{(rest[i] - '0') * scale};
        }
        rest = rest.substr(i);
    }
    if (rest != "Z" && rest != "+00:00" && !rest.empty()) return std::nullopt;
    return time_point_cast<system_clock::duration>(tp + fraction);
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
    std::string s(text);
    time_t t = curl_getdate(s.c_str(), nullptr);
    if (t == -1 || t < kFirstTime || t > kLastTime) return std::nullopt;
    return std::chrono::system_clock::from_time_t(t);
}

}  // namespace gdx::store::s3
