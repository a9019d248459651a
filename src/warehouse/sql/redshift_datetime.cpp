#include "warehouse/sql/redshift_datetime.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <iterator>
#include <stdexcept>

#include "util/run_clock.hpp"

namespace gdx::warehouse::sql {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr int64_t kMicrosPerDay = 86400LL * 1000000;

bool digits(std::string_view s, size_t at, size_t n) {
    if (at + n > s.size()) return false;
    for (size_t i = at; i < at + n; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    }
    return true;
}

int number(std::string_view s, size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Reads HH:MM[:SS[.f{1,6}]] at i; returns the time since midnight.
std::optional<microseconds> read_time(std::string_view s, size_t& i) {
    if (!digits(s, i, 2) || i + 2 >= s.size() || s[i + 2] != ':' || !digits(s, i + 3, 2))
        return std::nullopt;
    const int h = number(s, i, 2), m = number(s, i + 3, 2);
    i += 5;
    int sec = 0;
    int64_t micros = 0;
    if (i < s.size() && s[i] == ':') {
        if (!digits(s, i + 1, 2)) return std::nullopt;
        sec = number(s, i + 1, 2);
        i += 3;
        if (i < s.size() && s[i] == '.') {
            ++i;
            int64_t scale = 100000;
            size_t n = 0;
            while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
                if (n++ < 6) {
                    micros += (s[i] - '0') * scale;
                    scale /= 10;
                }
                ++i;
            }
            if (n == 0) return std::nullopt;
        }
    }
    if (h > 24 || m > 59 || sec > 60) return std::nullopt;
    return hours(h) + minutes(m) + seconds(sec) + microseconds(micros);
}

DateTime normalise(date::sys_days day, int64_t micros) {
    int64_t days = micros / kMicrosPerDay;
    micros %= kMicrosPerDay;
    if (micros < 0) {
        micros += kMicrosPerDay;
        --days;
    }
    return DateTime{day + date::days(days), microseconds(micros)};
}

DateTime from_sys(std::chrono::sys_time<microseconds> t) {
    const auto day = date::floor<date::days>(t);
    return DateTime{day, t - day};
}

std::chrono::sys_time<microseconds> to_sys(const DateTime& t) {
    return std::chrono::sys_time<microseconds>(t.day.time_since_epoch()) + t.time;
}

// The years date::year holds (Redshift's own range reaches further, to 294276 AD).
constexpr int kMinYear = -32767;
constexpr int kMaxYear = 32767;

[[noreturn]] void beyond_the_years(std::string_view what) {
    throw std::invalid_argument(
        fmt::format("{}: the result is beyond the years {}..{}", what, kMinYear, kMaxYear));
}

// a * b, or the error a result beyond the years gets.
int64_t times(int64_t a, int64_t b, std::string_view what) {
    int64_t out = 0;
    if (__builtin_mul_overflow(a, b, &out)) beyond_the_years(what);
    return out;
}

DateTime add_months(const DateTime& t, int64_t months) {
    const date::year_month_day ymd(t.day);
    int64_t index = 0;
    if (__builtin_add_overflow(static_cast<int64_t>(int(ymd.year())) * 12 +
                                   static_cast<int64_t>(unsigned(ymd.month())) - 1,
                               months, &index))
        beyond_the_years("DATEADD");
    int64_t y = index >= 0 ? index / 12 : (index - 11) / 12;
    if (y < kMinYear || y > kMaxYear) beyond_the_years("DATEADD");
    const unsigned m = static_cast<unsigned>(index - y * 12) + 1;
    const date::year_month_day_last last(date::year(static_cast<int>(y)),
                                         date::month_day_last(date::month(m)));
    const date::day d = std::min(ymd.day(), last.day());
    return DateTime{date::sys_days(date::year(static_cast<int>(y)) / date::month(m) / d), t.time};
}

int64_t micros_of(std::string_view part) {
    if (part == "week") return 7 * kMicrosPerDay;
    if (part == "day") return kMicrosPerDay;
    if (part == "hour") return 3600LL * 1000000;
    if (part == "minute") return 60LL * 1000000;
    if (part == "second") return 1000000;
    if (part == "millisecond") return 1000;
    if (part == "microsecond") return 1;
    return 0;
}

std::string part_or_throw(std::string_view part) {
    auto p = canonical_date_part(part);
    if (!p) throw std::invalid_argument(fmt::format("unknown date part '{}'", part));
    return *p;
}

const date::time_zone* zone(std::string_view name) {
    const std::string n = lower(name);
    if (n == "utc" || n == "gmt" || n == "etc/utc" || n == "z") return nullptr;
    try {
        return date::locate_zone(std::string(name));
    } catch (const std::exception&) {
        throw std::invalid_argument(fmt::format("unknown time zone '{}'", name));
    }
}

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};

// Case of a name pattern: "MONTH" → upper, "Month" → capitalised, "month" → lower.
std::string cased(std::string_view name, std::string_view pattern) {
    std::string out(name);
    const bool all_upper = std::isupper(static_cast<unsigned char>(pattern[1]));
    const bool first_upper = std::isupper(static_cast<unsigned char>(pattern[0]));
    for (size_t i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out[i]);
        out[i] = static_cast<char>((all_upper || (i == 0 && first_upper)) ? std::toupper(c)
                                                                          : std::tolower(c));
    }
    return out;
}

bool starts_with_ci(std::string_view s, size_t at, std::string_view upper_pattern) {
    if (at + upper_pattern.size() > s.size()) return false;
    for (size_t i = 0; i < upper_pattern.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(s[at + i])) != upper_pattern[i]) return false;
    }
    return true;
}

std::string padded(int64_t v, int width, bool fill) {
    return fill ? fmt::format("{:0{}}", v, width) : fmt::format("{}", v);
}

// AM/PM in the case of the pattern as written.
std::string meridiem(int hour, std::string_view here) {
    const bool upper = std::isupper(static_cast<unsigned char>(here[0]));
    return hour < 12 ? (upper ? "AM" : "am") : (upper ? "PM" : "pm");
}

}  // namespace

std::optional<DateTime> parse_datetime(std::string_view text) {
    const std::string_view s = trim(text);
    size_t i = 0;
    int y, m, d;
    if (digits(s, 0, 4) && s.size() >= 10 && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' &&
        digits(s, 8, 2)) {
        y = number(s, 0, 4), m = number(s, 5, 2), d = number(s, 8, 2);
        i = 10;
    } else if (digits(s, 0, 8) &&
               (s.size() == 8 || !std::isdigit(static_cast<unsigned char>(s[8])))) {
        y = number(s, 0, 4), m = number(s, 4, 2), d = number(s, 6, 2);
        i = 8;
    } else {
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year(y), date::month(static_cast<unsigned>(m)),
                                   date::day(static_cast<unsigned>(d))};
    if (!ymd.ok()) return std::nullopt;
    int64_t micros = 0;
    if (i < s.size() && (s[i] == ' ' || s[i] == 'T' || s[i] == 't')) {
        ++i;
        auto t = read_time(s, i);
        if (!t) return std::nullopt;
        micros = t->count();
    }
    // A zone offset is read and ignored, as a cast to TIMESTAMP does.
    if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        if (!digits(s, i + 1, 2)) return std::nullopt;
        i += 3;
        if (i < s.size() && s[i] == ':') ++i;
        if (digits(s, i, 2)) i += 2;
    }
    if (i != s.size()) return std::nullopt;
    return normalise(date::sys_days(ymd), micros);
}

std::string format_date(const DateTime& t) {
    const date::year_month_day ymd(t.day);
    return fmt::format("{:04}-{:02}-{:02}", int(ymd.year()), unsigned(ymd.month()),
                       unsigned(ymd.day()));
}

std::string format_timestamp(const DateTime& t) {
    const int64_t us = t.time.count();
    std::string out = fmt::format("{} {:02}:{:02}:{:02}", format_date(t), us / 3600000000,
                                  us / 60000000 % 60, us / 1000000 % 60);
    if (us % 1000000 != 0) {
        std::string frac = fmt::format("{:06}", us % 1000000);
        while (frac.back() == '0') frac.pop_back();
        out += "." + frac;
    }
    return out;
}

std::optional<std::string> canonical_date_part(std::string_view part) {
    static const struct {
        const char* name;
        std::initializer_list<std::string_view> spellings;
    } kParts[] = {
        {"millennium", {"millennium", "millennia", "mil", "mils"}},
        {"century", {"century", "centuries", "c", "cent", "cents"}},
        {"decade", {"decade", "decades", "dec", "decs"}},
        {"year", {"year", "years", "y", "yr", "yrs"}},
        {"quarter", {"quarter", "quarters", "qtr", "qtrs"}},
        {"month", {"month", "months", "mon", "mons"}},
        {"week", {"week", "weeks", "w"}},
        {"day", {"day", "days", "d"}},
        {"hour", {"hour", "hours", "h", "hr", "hrs"}},
        {"minute", {"minute", "minutes", "m", "min", "mins"}},
        {"second", {"second", "seconds", "s", "sec", "secs"}},
        {"millisecond",
         {"millisecond", "milliseconds", "ms", "msec", "msecs", "msecond", "mseconds", "millisec",
          "millisecs", "millisecon"}},
        {"microsecond",
         {"microsecond", "microseconds", "microsec", "microsecs", "microsecond", "usecond",
          "useconds", "us", "usec", "usecs"}},
    };
    const std::string p = lower(trim(part));
    for (const auto& entry : kParts) {
        for (std::string_view s : entry.spellings) {
            if (p == s) return std::string(entry.name);
        }
    }
    return std::nullopt;
}

DateTime date_add(std::string_view part_name, int64_t n, const DateTime& t) {
    const std::string part = part_or_throw(part_name);
    if (part == "millennium") return add_months(t, times(n, 12000, "DATEADD"));
    if (part == "century") return add_months(t, times(n, 1200, "DATEADD"));
    if (part == "decade") return add_months(t, times(n, 120, "DATEADD"));
    if (part == "year") return add_months(t, times(n, 12, "DATEADD"));
    if (part == "quarter") return add_months(t, times(n, 3, "DATEADD"));
    if (part == "month") return add_months(t, n);
    int64_t micros = 0;
    if (__builtin_add_overflow(t.time.count(), times(n, micros_of(part), "DATEADD"), &micros))
        beyond_the_years("DATEADD");
    const DateTime out = normalise(t.day, micros);
    static const date::sys_days first = date::year(kMinYear) / 1 / 1;
    static const date::sys_days last = date::year(kMaxYear) / 12 / 31;
    if (out.day < first || out.day > last) beyond_the_years("DATEADD");
    return out;
}

int64_t date_diff(std::string_view part_name, const DateTime& a, const DateTime& b) {
    const std::string part = part_or_throw(part_name);
    const date::year_month_day ya(a.day), yb(b.day);
    const int64_t years = int(yb.year()) - int(ya.year());
    const int64_t months = years * 12 + (int64_t(unsigned(yb.month())) - unsigned(ya.month()));
    if (part == "millennium" || part == "century" || part == "decade") {
        const int64_t span = part == "decade" ? 10 : part == "century" ? 100 : 1000;
        auto floor_div = [](int64_t v, int64_t d) { return v >= 0 ? v / d : (v - d + 1) / d; };
        return floor_div(int(yb.year()), span) - floor_div(int(ya.year()), span);
    }
    if (part == "year") return years;
    if (part == "quarter") {
        return years * 4 + (int64_t(unsigned(yb.month()) - 1) / 3) -
               (int64_t(unsigned(ya.month()) - 1) / 3);
    }
    if (part == "month") return months;
    const DateTime ta = date_trunc(part, a), tb = date_trunc(part, b);
    const int64_t diff = (to_sys(tb) - to_sys(ta)).count();
    return diff / micros_of(part);
}

DateTime date_trunc(std::string_view part_name, const DateTime& t) {
    const std::string part = part_or_throw(part_name);
    const date::year_month_day ymd(t.day);
    auto first_of = [&](int year, unsigned month) {
        return DateTime{date::sys_days(date::year(year) / date::month(month) / 1), {}};
    };
    const int y = int(ymd.year());
    if (part == "millennium") return first_of(((y - 1) / 1000) * 1000 + 1, 1);
    if (part == "century") return first_of(((y - 1) / 100) * 100 + 1, 1);
    if (part == "decade") return first_of(y - y % 10, 1);
    if (part == "year") return first_of(y, 1);
    if (part == "quarter") return first_of(y, (unsigned(ymd.month()) - 1) / 3 * 3 + 1);
    if (part == "month") return first_of(y, unsigned(ymd.month()));
    if (part == "week") {
        const date::weekday wd(t.day);
        const unsigned since_monday = (wd.c_encoding() + 6) % 7;
        return DateTime{t.day - date::days(since_monday), {}};
    }
    const int64_t unit = micros_of(part);
    return DateTime{t.day, microseconds(t.time.count() / unit * unit)};
}

namespace {

// What TO_CHAR's patterns read from one timestamp, computed once per call.
struct DateParts {
    explicit DateParts(const DateTime& t) : day_number(t.day), us(t.time.count()) {
        const date::year_month_day ymd(t.day);
        year = int(ymd.year());
        month = unsigned(ymd.month());
        day = unsigned(ymd.day());
        weekday = date::weekday(t.day).c_encoding();  // 0 = Sunday
        hour = static_cast<int>(us / 3600000000);
        minute = static_cast<int>(us / 60000000 % 60);
        second = static_cast<int>(us / 1000000 % 60);
        day_of_year = (t.day - date::sys_days(date::year(year) / date::January / 1)).count() + 1;
    }
    date::sys_days day_number;
    int64_t us;
    int year;
    unsigned month, day, weekday;
    int hour, minute, second, day_of_year;
};

int iso_week(date::sys_days day) {
    const date::weekday wd(day);
    const auto thursday = day - date::days((wd.c_encoding() + 6) % 7) + date::days(3);
    const auto week1 = date::sys_days(date::year_month_day(thursday).year() / date::January / 1);
    return static_cast<int>((thursday - week1).count() / 7 + 1);
}

// One TO_CHAR pattern: its text (upper case, matched case-insensitively) and what it becomes.
// `fill` is false after FM; `here` is the format from the pattern on (its case picks the case
// of names).
struct ToCharPattern {
    std::string_view text;
    std::string (*render)(const DateParts& p, bool fill, std::string_view here);
};

// Where one pattern begins another (MONTH, MON, MM), the longer one comes first.
const ToCharPattern kToCharPatterns[] = {
    {"HH24",
     [](const DateParts& p, bool fill, std::string_view) { return padded(p.hour, 2, fill); }},
    {"HH12", [](const DateParts& p, bool fill,
                std::string_view) { return padded(p.hour % 12 == 0 ? 12 : p.hour % 12, 2, fill); }},
    {"HH", [](const DateParts& p, bool fill,
              std::string_view) { return padded(p.hour % 12 == 0 ? 12 : p.hour % 12, 2, fill); }},
    {"MI",
     [](const DateParts& p, bool fill, std::string_view) { return padded(p.minute, 2, fill); }},
    {"SS",
     [](const DateParts& p, bool fill, std::string_view) { return padded(p.second, 2, fill); }},
    {"MS", [](const DateParts& p, bool fill,
              std::string_view) { return padded(p.us / 1000 % 1000, 3, fill); }},
    {"US", [](const DateParts& p, bool fill,
              std::string_view) { return padded(p.us % 1000000, 6, fill); }},
    {"AM", [](const DateParts& p, bool, std::string_view here) { return meridiem(p.hour, here); }},
    {"PM", [](const DateParts& p, bool, std::string_view here) { return meridiem(p.hour, here); }},
    {"YYYY",
     [](const DateParts& p, bool fill, std::string_view) { return padded(p.year, 4, fill); }},
    {"YYY", [](const DateParts& p, bool fill,
               std::string_view) { return padded(p.year % 1000, 3, fill); }},
    {"YY",
     [](const DateParts& p, bool fill, std::string_view) { return padded(p.year % 100, 2, fill); }},
    {"Y",
     [](const DateParts& p, bool fill, std::string_view) { return padded(p.year % 10, 1, fill); }},
    {"MONTH",
     [](const DateParts& p, bool fill, std::string_view here) {
         const std::string name = cased(kMonths[p.month - 1], here.substr(0, 5));
         return fill ? fmt::format("{:<9}", name) : name;
     }},
    {"MON",
     [](const DateParts& p, bool, std::string_view here) {
         return cased(std::string_view(kMonths[p.month - 1]).substr(0, 3), here.substr(0, 3));
     }},
    {"MM",
     [](const DateParts& p, bool fill, std::string_view) { return padded(p.month, 2, fill); }},
    {"DAY",
     [](const DateParts& p, bool fill, std::string_view here) {
         const std::string name = cased(kDays[p.weekday], here.substr(0, 3));
         return fill ? fmt::format("{:<9}", name) : name;
     }},
    {"DDD", [](const DateParts& p, bool fill,
               std::string_view) { return padded(p.day_of_year, 3, fill); }},
    {"DD", [](const DateParts& p, bool fill, std::string_view) { return padded(p.day, 2, fill); }},
    {"DY",
     [](const DateParts& p, bool, std::string_view here) {
         return cased(std::string_view(kDays[p.weekday]).substr(0, 3), here.substr(0, 2));
     }},
    {"D", [](const DateParts& p, bool, std::string_view) { return std::to_string(p.weekday + 1); }},
    {"IW", [](const DateParts& p, bool fill,
              std::string_view) { return padded(iso_week(p.day_number), 2, fill); }},
    {"WW", [](const DateParts& p, bool fill,
              std::string_view) { return padded((p.day_of_year - 1) / 7 + 1, 2, fill); }},
    {"Q", [](const DateParts& p, bool,
             std::string_view) { return std::to_string((p.month - 1) / 3 + 1); }},
    {"J",
     [](const DateParts& p, bool, std::string_view) {
         return std::to_string(p.day_number.time_since_epoch().count() + 2440588);
     }},
};

}  // namespace

std::string to_char(const DateTime& t, std::string_view f) {
    const DateParts parts(t);
    std::string out;
    size_t i = 0;
    while (i < f.size()) {
        bool fill = true;
        if (starts_with_ci(f, i, "FM")) {
            fill = false;
            i += 2;
            if (i >= f.size()) break;
        }
        if (f[i] == '"') {  // quoted text is copied as it is
            const size_t end = f.find('"', i + 1);
            out += f.substr(i + 1, (end == std::string_view::npos ? f.size() : end) - i - 1);
            i = end == std::string_view::npos ? f.size() : end + 1;
            continue;
        }
        const auto* pattern =
            std::find_if(std::begin(kToCharPatterns), std::end(kToCharPatterns),
                         [&](const ToCharPattern& p) { return starts_with_ci(f, i, p.text); });
        if (pattern == std::end(kToCharPatterns)) {
            out += f[i++];
            continue;
        }
        out += pattern->render(parts, fill, f.substr(i));
        i += pattern->text.size();
    }
    return out;
}

DateTime convert_timezone(std::string_view source, std::string_view target, const DateTime& t) {
    const date::time_zone* from = zone(source);
    const date::time_zone* to = zone(target);
    auto wall = date::local_time<microseconds>(to_sys(t).time_since_epoch());
    std::chrono::sys_time<microseconds> instant =
        from == nullptr ? std::chrono::sys_time<microseconds>(wall.time_since_epoch())
                        : from->to_sys(wall, date::choose::earliest);
    if (to == nullptr) return from_sys(instant);
    const auto local = to->to_local(instant);
    return from_sys(std::chrono::sys_time<microseconds>(local.time_since_epoch()));
}

std::optional<DateTime> pinned_getdate() {
    auto pinned = util::pinned_clock();
    if (!pinned) return std::nullopt;
    return from_sys(date::floor<microseconds>(pinned->instant));
}

DateTime redshift_getdate() {
    if (auto pinned = pinned_getdate()) return *pinned;
    return from_sys(date::floor<seconds>(std::chrono::system_clock::now()));
}

DateTime redshift_sysdate() {
    if (auto pinned = pinned_getdate()) return *pinned;
    return from_sys(date::floor<microseconds>(std::chrono::system_clock::now()));
}

}  // namespace gdx::warehouse::sql
