// Python _strptime / pandas array_strptime semantics, compiled to a step list
// (docs/semantics.md#types).
#include "transform/strptime.hpp"
#include "transform/calendar.hpp"
#include "util/ascii.hpp"

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "util/error.hpp"

namespace gdx::transform {

// Values collected while matching; turned into a ParsedTime once the whole value matched.
struct StrptimeFormat::Fields {
    int year = 1900;
    int year2 = -1;
    int month = 1;
    int day = 1;
    int hour = 0;
    int hour12 = -1;
    int ampm = -1;  // 0 am, 1 pm
    int minute = 0;
    int second = 0;
    int microsecond = 0;
    int yday = -1;
    bool has_offset = false;
    int offset_seconds = 0;
};

namespace {

using ascii::is_digit;
using ascii::is_space;
using ascii::lower;

using calendar::civil_from_days;
using calendar::days_from_civil;
using calendar::days_in_month;
using calendar::kDayFull;
using calendar::kMonthFull;

// Case-insensitive: does v[pos..] start with the lower-case word w?
bool starts_with_ci(std::string_view v, size_t pos, std::string_view w) {
    if (v.size() - pos < w.size()) return false;
    for (size_t i = 0; i < w.size(); ++i)
        if (lower(v[pos + i]) != w[i]) return false;
    return true;
}

// Value of the two characters at v[pos], or -1 when they are not both digits.
int two_digits(std::string_view v, size_t pos) {
    if (pos + 2 > v.size() || !is_digit(v[pos]) || !is_digit(v[pos + 1])) return -1;
    return (v[pos] - '0') * 10 + (v[pos + 1] - '0');
}

// pandas' format_is_iso (pandas 2.x): is `fmt` a prefix of an ISO-8601 template?
bool pandas_format_is_iso(std::string_view fmt) {
    if (fmt == "%Y%m") return false;
    for (std::string_view date_sep : {" ", "/", "\\", "-", ".", ""}) {
        for (std::string_view time_sep : {" ", "T"}) {
            for (std::string_view tail : {"", "%z", ".%f", ".%f%z"}) {
                std::string t = "%Y";
                t.append(date_sep).append("%m").append(date_sep).append("%d");
                t.append(time_sep).append("%H:%M:%S").append(tail);
                if (t.compare(0, fmt.size(), fmt) == 0 && fmt.size() <= t.size()) return true;
            }
        }
    }
    return false;
}

}  // namespace

StrptimeFormat StrptimeFormat::compile(std::string_view fmt) {
    StrptimeFormat f;
    f.source_ = std::string(fmt);
    // pandas' ISO parser takes "%Y%m%d…" and requires two-digit month and day there.
    const bool compact_iso = fmt.substr(0, 6) == "%Y%m%d" && pandas_format_is_iso(fmt);
    for (size_t i = 0; i < fmt.size(); ++i) {
        const char c = fmt[i];
        if (is_space(c)) {
            while (i + 1 < fmt.size() && is_space(fmt[i + 1])) ++i;
            f.steps_.push_back({Op::Space});
        } else if (c != '%') {
            f.steps_.push_back({Op::Literal, lower(c)});
        } else if (++i >= fmt.size()) {
            throw ConfigError("stray % at the end of date format '" + f.source_ + "'");
        } else {
            f.add_directive(fmt[i], compact_iso);
        }
    }
    f.note_fixed_width();
    return f;
}

// The supported directives: what each one matches and what it tells about the format.
struct StrptimeFormat::Directive {
    char letter;
    Op op;
    bool time = false;        // a time-of-day field (has_time)
    bool compact = false;     // two digits exactly in a compact ISO format ("%Y%m%d…")
    uint8_t fixed_width = 0;  // width on the preferred path (match_fixed); 0 = variable
};

const StrptimeFormat::Directive StrptimeFormat::kDirectives[] = {
    {'Y', Op::Year4, false, false, 4},     {'y', Op::Year2, false, false, 2},
    {'m', Op::Month, false, true, 2},      {'d', Op::Day, false, true, 2},
    {'H', Op::Hour24, true, false, 2},     {'I', Op::Hour12, true, false, 2},
    {'M', Op::Minute, true, false, 2},     {'S', Op::Second, true, false, 2},
    {'f', Op::Fraction, true, false, 0},   {'p', Op::AmPm, true, false, 0},
    {'b', Op::MonthAbbr, false, false, 0}, {'B', Op::MonthFull, false, false, 0},
    {'a', Op::DayAbbr, false, false, 0},   {'A', Op::DayFull, false, false, 0},
    {'j', Op::DayOfYear, false, false, 0}, {'z', Op::Offset, false, false, 0},
};

const StrptimeFormat::Directive* StrptimeFormat::directive_of(Op op) {
    for (const Directive& d : kDirectives)
        if (d.op == op) return &d;
    return nullptr;
}

void StrptimeFormat::add_directive(char letter, bool compact_iso) {
    if (letter == '%') {
        steps_.push_back({Op::Literal, '%'});
        return;
    }
    for (const Directive& d : kDirectives) {
        if (d.letter != letter) continue;
        steps_.push_back({d.op, 0, d.compact && compact_iso});
        has_time_ = has_time_ || d.time;
        has_offset_ = has_offset_ || d.op == Op::Offset;
        return;
    }
    throw ConfigError(std::string("unsupported strptime directive %") + letter +
                      " in date format '" + source_ + "'");
}

void StrptimeFormat::note_fixed_width() {
    size_t width = 0;
    for (const Step& s : steps_) {
        const Directive* d = directive_of(s.op);
        const size_t w = d ? d->fixed_width : 1;  // a literal or a whitespace run: one character
        if (w == 0) return;                       // a step of variable width: no fast path
        width += w;
    }
    fixed_width_ = width;
    note_ymd_layout();
}

void StrptimeFormat::note_ymd_layout() {
    auto is_sep = [](const Step& s) {
        // Compared exactly by iso_date_fast: only characters that lower() leaves alone and
        // that cannot be a digit.
        return s.op == Op::Literal && !is_digit(s.literal) && lower(s.literal) == s.literal &&
               !(s.literal >= 'a' && s.literal <= 'z') && s.literal != 0;
    };
    const auto& st = steps_;
    if (st.size() == 3 && st[0].op == Op::Year4 && st[1].op == Op::Month && st[2].op == Op::Day) {
        ymd_width_ = 8;
    } else if (st.size() == 5 && st[0].op == Op::Year4 && is_sep(st[1]) && st[2].op == Op::Month &&
               is_sep(st[3]) && st[4].op == Op::Day) {
        ymd_width_ = 10;
        ymd_sep_[0] = st[1].literal;
        ymd_sep_[1] = st[3].literal;
    }
}

// At the full width, the two-digits-first search of `match` (and match_fixed) takes every
// field at its two-digit width, so the fields are the digits at fixed places; parse then
// rejects year 0 and days past the month's end, and format_iso writes the same digits back.
bool StrptimeFormat::iso_date_fast(std::string_view v, char* out) const {
    if (ymd_width_ == 0 || v.size() != ymd_width_) return false;
    const char* p = v.data();
    char ymd[8];  // the digits, YYYYMMDD
    if (ymd_width_ == 8) {
        std::memcpy(ymd, p, 8);
    } else {
        if (p[4] != ymd_sep_[0] || p[7] != ymd_sep_[1]) return false;
        std::memcpy(ymd, p, 4);
        std::memcpy(ymd + 4, p + 5, 2);
        std::memcpy(ymd + 6, p + 8, 2);
    }
    // All eight are '0'..'9' when every byte's high nibble is 3, and still is after adding 6
    // (which turns ':'..'?' into 0x40..0x45; no byte carries once the first test held).
    uint64_t x;
    std::memcpy(&x, ymd, 8);
    constexpr uint64_t kHigh = 0xF0F0F0F0F0F0F0F0, kThrees = 0x3030303030303030;
    if ((x & kHigh) != kThrees || ((x + 0x0606060606060606) & kHigh) != kThrees) return false;
    auto digit = [&ymd](int i) { return ymd[i] - '0'; };
    const int year = ((digit(0) * 10 + digit(1)) * 10 + digit(2)) * 10 + digit(3);
    const int month = digit(4) * 10 + digit(5);
    const int day = digit(6) * 10 + digit(7);
    if (year < 1 || month < 1 || month > 12 || day < 1) return false;
    if (day > 28 && day > days_in_month(year, month)) return false;
    std::memcpy(out, ymd, 4);
    out[4] = '-';
    std::memcpy(out + 5, ymd + 4, 2);
    out[7] = '-';
    std::memcpy(out + 8, ymd + 6, 2);
    return true;
}

// `match` is a depth-first search that tries, at every step, two digits before one and the
// longest whitespace run before shorter ones. When the value has exactly the width of the
// all-preferred path and that path matches, it is the first leaf the search reaches, with
// the same field values: walking it directly gives the same answer without recursion.
bool StrptimeFormat::match_fixed(std::string_view v, Fields& f) const {
    size_t pos = 0;  // v.size() == fixed_width_, so every read below is in bounds
    auto two = [&](int& slot, int lo, int hi) {
        const int n = two_digits(v, pos);
        if (n < lo || n > hi) return false;
        slot = n;
        pos += 2;
        return true;
    };
    for (const Step& s : steps_) {
        switch (s.op) {
            case Op::Literal:
                if (lower(v[pos]) != s.literal) return false;
                ++pos;
                break;
            case Op::Space:
                // The longest run must be this one character (the width counts one).
                if (!is_space(v[pos]) || (pos + 1 < v.size() && is_space(v[pos + 1]))) return false;
                ++pos;
                break;
            case Op::Year4: {
                int y = 0;
                for (size_t i = 0; i < 4; ++i) {
                    if (!is_digit(v[pos + i])) return false;
                    y = y * 10 + (v[pos + i] - '0');
                }
                f.year = y;
                f.year2 = -1;
                pos += 4;
                break;
            }
            case Op::Year2:
                if (!two(f.year2, 0, 99)) return false;
                break;
            case Op::Month:
                if (!two(f.month, 1, 12)) return false;
                break;
            case Op::Day:
                if (!two(f.day, 1, 31)) return false;
                break;
            case Op::Hour24:
                if (!two(f.hour, 0, 23)) return false;
                break;
            case Op::Hour12:
                if (!two(f.hour12, 1, 12)) return false;
                break;
            case Op::Minute:
                if (!two(f.minute, 0, 59)) return false;
                break;
            case Op::Second:
                if (!two(f.second, 0, 61)) return false;
                break;
            default:
                return false;
        }
    }
    return pos == v.size();
}

// A depth-first search over the steps: each alternative a step allows is tried in Python's
// regex order, and the first whose remaining steps match wins.
bool StrptimeFormat::match(size_t k, std::string_view v, size_t pos, Fields& f) const {
    if (k == steps_.size()) return pos == v.size();
    const Step& s = steps_[k];
    const Cursor at{k, v, pos};
    switch (s.op) {
        case Op::Literal:
            return pos < v.size() && lower(v[pos]) == s.literal && match(k + 1, v, pos + 1, f);
        case Op::Space:
            return match_space(at, f);
        case Op::Year4:
            return match_year4(at, f);
        case Op::Year2:
            return match_year2(at, f);
        case Op::Month:
            return match_number(at, f, f.month, {1, 12, 1, s.two_digit});
        case Op::Day:
            return match_day(at, f, s.two_digit);
        case Op::Hour24:
            return match_number(at, f, f.hour, {0, 23, 0, false});
        case Op::Hour12:
            return match_number(at, f, f.hour12, {1, 12, 1, false});
        case Op::Minute:
            return match_number(at, f, f.minute, {0, 59, 0, false});
        case Op::Second:
            return match_number(at, f, f.second, {0, 61, 0, false});
        case Op::Fraction:
            return match_fraction(at, f);
        case Op::MonthAbbr:
            return match_month_name(at, f, 3);
        case Op::MonthFull:
            return match_month_name(at, f, 0);
        case Op::DayAbbr:
            return match_day_name(at, f, 3);
        case Op::DayFull:
            return match_day_name(at, f, 0);
        case Op::AmPm:
            return match_ampm(at, f);
        case Op::DayOfYear:
            return match_day_of_year(at, f);
        case Op::Offset:
            return match_offset(at, f);
    }
    return false;
}

bool StrptimeFormat::match_rest(const Cursor& at, size_t pos, Fields& f) const {
    return match(at.step + 1, at.v, pos, f);
}

// One- or two-digit field as in _strptime's regexes: two digits within [lo, hi] first, then
// one digit within [lo1, 9]; `slot` receives the value.
bool StrptimeFormat::match_number(const Cursor& at, Fields& f, int& slot,
                                  const NumberRange& r) const {
    const int two = two_digits(at.v, at.pos);
    if (two >= r.lo && two <= r.hi) {
        slot = two;
        if (match_rest(at, at.pos + 2, f)) return true;
    }
    if (r.two_only) return false;
    if (at.pos < at.v.size() && is_digit(at.v[at.pos]) && at.v[at.pos] - '0' >= r.lo1) {
        slot = at.v[at.pos] - '0';
        if (match_rest(at, at.pos + 1, f)) return true;
    }
    return false;
}

// The longest whitespace run first, then shorter ones (at least one character).
bool StrptimeFormat::match_space(const Cursor& at, Fields& f) const {
    size_t end = at.pos;
    while (end < at.v.size() && is_space(at.v[end])) ++end;
    for (; end > at.pos; --end)
        if (match_rest(at, end, f)) return true;
    return false;
}

bool StrptimeFormat::match_year4(const Cursor& at, Fields& f) const {
    if (at.v.size() - at.pos < 4) return false;
    int y = 0;
    for (size_t i = 0; i < 4; ++i) {
        if (!is_digit(at.v[at.pos + i])) return false;
        y = y * 10 + (at.v[at.pos + i] - '0');
    }
    f.year = y;
    f.year2 = -1;
    return match_rest(at, at.pos + 4, f);
}

bool StrptimeFormat::match_year2(const Cursor& at, Fields& f) const {
    const int y = two_digits(at.v, at.pos);
    if (y < 0) return false;
    f.year2 = y;
    return match_rest(at, at.pos + 2, f);
}

bool StrptimeFormat::match_day(const Cursor& at, Fields& f, bool two_only) const {
    if (match_number(at, f, f.day, {1, 31, 1, two_only})) return true;
    // " [1-9]": a space-padded day
    const std::string_view v = at.v;
    if (!two_only && v.size() - at.pos >= 2 && v[at.pos] == ' ' && is_digit(v[at.pos + 1]) &&
        v[at.pos + 1] != '0') {
        f.day = v[at.pos + 1] - '0';
        return match_rest(at, at.pos + 2, f);
    }
    return false;
}

// Up to nine digits, the longest first; microseconds keep the first six.
bool StrptimeFormat::match_fraction(const Cursor& at, Fields& f) const {
    size_t n = 0;
    while (n < 9 && at.pos + n < at.v.size() && is_digit(at.v[at.pos + n])) ++n;
    for (; n >= 1; --n) {
        int us = 0;
        for (size_t i = 0; i < 6; ++i) us = us * 10 + (i < n ? at.v[at.pos + i] - '0' : 0);
        f.microsecond = us;
        if (match_rest(at, at.pos + n, f)) return true;
    }
    return false;
}

// `length` 3 for the abbreviation, 0 for the full name.
bool StrptimeFormat::match_month_name(const Cursor& at, Fields& f, size_t length) const {
    for (int m = 0; m < 12; ++m) {
        const std::string_view name = length ? kMonthFull[m].substr(0, length) : kMonthFull[m];
        if (starts_with_ci(at.v, at.pos, name)) {
            f.month = m + 1;
            return match_rest(at, at.pos + name.size(), f);
        }
    }
    return false;
}

bool StrptimeFormat::match_day_name(const Cursor& at, Fields& f, size_t length) const {
    for (std::string_view name : kDayFull) {
        if (length) name = name.substr(0, length);
        if (starts_with_ci(at.v, at.pos, name)) return match_rest(at, at.pos + name.size(), f);
    }
    return false;
}

bool StrptimeFormat::match_ampm(const Cursor& at, Fields& f) const {
    if (!starts_with_ci(at.v, at.pos, "am") && !starts_with_ci(at.v, at.pos, "pm")) return false;
    f.ampm = lower(at.v[at.pos]) == 'p' ? 1 : 0;
    return match_rest(at, at.pos + 2, f);
}

// 36[0-6]|3[0-5]\d|[12]\d\d|0[1-9]\d|00[1-9]|[1-9]\d|0[1-9]|[1-9]: three digits first.
bool StrptimeFormat::match_day_of_year(const Cursor& at, Fields& f) const {
    for (size_t n = 3; n >= 1; --n) {
        if (at.v.size() - at.pos < n) continue;
        int val = 0;
        bool ok = true;
        for (size_t i = 0; i < n && ok; ++i) {
            ok = is_digit(at.v[at.pos + i]);
            val = val * 10 + (at.v[at.pos + i] - '0');
        }
        if (!ok || val < 1 || val > 366) continue;
        f.yday = val;
        if (match_rest(at, at.pos + n, f)) return true;
    }
    return false;
}

// Z | [+-]HH:?MM(:?SS(.ffffff)?)?   ("Z" is case-sensitive in Python)
bool StrptimeFormat::match_offset(const Cursor& at, Fields& f) const {
    const std::string_view v = at.v;
    const size_t pos = at.pos;
    f.has_offset = true;
    if (pos < v.size() && v[pos] == 'Z') {
        f.offset_seconds = 0;
        return match_rest(at, pos + 1, f);
    }
    if (v.size() - pos < 5 || (v[pos] != '+' && v[pos] != '-')) return false;
    const int sign = v[pos] == '-' ? -1 : 1;
    size_t p = pos + 1;
    const int hh = two_digits(v, p);
    if (hh < 0) return false;
    p += 2;
    const bool colon = v[p] == ':';
    if (colon) ++p;
    const int mm = two_digits(v, p);
    if (mm < 0 || mm > 59) return false;
    p += 2;
    if (hh >= 24) return false;  // Python's timezone() rejects |offset| >= 24h
    // Optional seconds (same separator as before, as Python requires), then fraction.
    const size_t p_sec = p + (colon ? 1 : 0);
    int ss = -1;
    if (!colon || (p < v.size() && v[p] == ':')) ss = two_digits(v, p_sec);
    if (ss >= 0 && ss <= 59) {
        const size_t p_end = p_sec + 2;
        if (p_end < v.size() && v[p_end] == '.') {
            size_t q = p_end + 1, n = 0;
            while (n < 6 && q + n < v.size() && is_digit(v[q + n])) ++n;
            if (n > 0) {
                f.offset_seconds = sign * (hh * 3600 + mm * 60 + ss);
                if (match_rest(at, q + n, f)) return true;
            }
        }
        f.offset_seconds = sign * (hh * 3600 + mm * 60 + ss);
        if (match_rest(at, p_end, f)) return true;
    }
    f.offset_seconds = sign * (hh * 3600 + mm * 60);
    return match_rest(at, p, f);
}

bool StrptimeFormat::parse(std::string_view value, ParsedTime& out) const {
    Fields f;
    if (fixed_width_ == 0 || value.size() != fixed_width_ || !match_fixed(value, f)) {
        f = Fields{};
        if (!match(0, value, 0, f)) return false;
    }
    int year = f.year2 >= 0 ? (f.year2 < 69 ? 2000 + f.year2 : 1900 + f.year2) : f.year;
    int month = f.month, day = f.day, hour = f.hour;
    if (f.hour12 >= 0) {
        hour = f.hour12;
        if (f.ampm == 1) {
            if (hour != 12) hour += 12;
        } else if (hour == 12) {
            hour = 0;  // 12 AM (or no %p) is midnight, as in Python
        }
    }
    if (year < 1 || f.second > 59) return false;  // datetime() rejects these
    if (f.yday >= 0) {
        // Python: the day of the year wins over %m/%d (and may roll into the next year).
        civil_from_days(days_from_civil(year, 1, 1) + f.yday - 1, year, month, day);
    } else if (day > days_in_month(year, month)) {
        return false;
    }
    out.year = year;
    out.month = month;
    out.day = day;
    out.hour = hour;
    out.minute = f.minute;
    out.second = f.second;
    out.microsecond = f.microsecond;
    out.has_offset = f.has_offset;
    out.offset_seconds = f.offset_seconds;
    return true;
}

namespace {
// "00" "01" … "99": one table load per two digits instead of a division each.
constexpr std::array<char, 200> kDigitPairs = [] {
    std::array<char, 200> a{};
    for (int i = 0; i < 100; ++i) {
        a[2 * i] = static_cast<char>('0' + i / 10);
        a[2 * i + 1] = static_cast<char>('0' + i % 10);
    }
    return a;
}();
}  // namespace

size_t format_iso(const ParsedTime& t, bool date_only, char* out) {
    // Every value written here is 0..99 (the year in two halves, as the four digits of y % 10000).
    auto put2 = [](char* p, int v) {
        p[0] = kDigitPairs[2 * v];
        p[1] = kDigitPairs[2 * v + 1];
    };
    char* p = out;
    const int y = t.year;
    put2(p, (y / 100) % 100);
    put2(p + 2, y % 100);
    p[4] = '-';
    put2(p + 5, t.month);
    p[7] = '-';
    put2(p + 8, t.day);
    p += 10;
    if (date_only) return static_cast<size_t>(p - out);
    *p++ = ' ';
    put2(p, t.hour);
    p[2] = ':';
    put2(p + 3, t.minute);
    p[5] = ':';
    put2(p + 6, t.second);
    p += 8;
    if (t.microsecond != 0) {
        *p++ = '.';
        int us = t.microsecond;
        for (int i = 5; i >= 0; --i) {
            p[i] = static_cast<char>('0' + us % 10);
            us /= 10;
        }
        p += 6;
    }
    if (t.has_offset) {
        int off = t.offset_seconds;
        *p++ = off < 0 ? '-' : '+';
        if (off < 0) off = -off;
        put2(p, off / 3600);
        p[2] = ':';
        put2(p + 3, (off / 60) % 60);
        p += 5;
        if (off % 60 != 0) {
            *p++ = ':';
            put2(p, off % 60);
            p += 2;
        }
    }
    return static_cast<size_t>(p - out);
}

bool in_pandas_range(const ParsedTime& t) {
    const int64_t days =
        days_from_civil(t.year, static_cast<unsigned>(t.month), static_cast<unsigned>(t.day));
    // Whole seconds since the epoch in UTC; the bounds are INT64 nanoseconds.
    const int64_t secs = days * 86400 + t.hour * 3600 + t.minute * 60 + t.second -
                         (t.has_offset ? t.offset_seconds : 0);
    constexpr int64_t kMaxSec = 9223372036;   // .854775807
    constexpr int64_t kMinSec = -9223372037;  // .145224192 (= -9223372036.854775808)
    if (secs > kMaxSec || secs < kMinSec) return false;
    if (secs == kMaxSec) return t.microsecond <= 854775;
    if (secs == kMinSec) return t.microsecond >= 145225;
    return true;
}

}  // namespace gdx::transform
