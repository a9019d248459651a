#pragma once
// Python/pandas strptime (docs/semantics.md#types): a format is compiled once, then values are
// matched without allocation. Matching follows Python's _strptime regex: literals compare
// case-insensitively, a whitespace run in the format matches one or more whitespace
// characters, numeric fields accept one or two digits with backtracking, and the whole value
// must be consumed. Like pandas' ISO fast path, "%Y%m%d…" formats need two-digit month/day.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gdx::transform {

struct ParsedTime {
    int year = 1900;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int microsecond = 0;  // %f beyond six digits is truncated
    bool has_offset = false;
    int offset_seconds = 0;  // east of UTC
};

class StrptimeFormat {
public:
    // Throws gdx::ConfigError naming the directive when the format uses one not supported.
    // Supported: %Y %y %m %d %H %I %M %S %f %p %b %B %a %A %j %z %%.
    static StrptimeFormat compile(std::string_view python_format);

    // True and `out` filled when `value` matches the format and is a valid date/time.
    bool parse(std::string_view value, ParsedTime& out) const;

    // For formats of a four-digit year, a month and a day only, with at most one literal
    // punctuation character between them (%Y%m%d, %Y-%m-%d, %Y/%m/%d …): when `value` has
    // the format's full width (two-digit month and day) and is a valid date, writes
    // "YYYY-MM-DD" to out[0, 10) and returns true. That is what parse + format_iso write for
    // it (the ISO digits are the value's own digits), without the step walk. False says
    // nothing about the value: ask parse.
    bool iso_date_fast(std::string_view value, char* out) const;
    bool has_iso_date_fast() const { return ymd_width_ != 0; }

    bool has_offset() const { return has_offset_; }
    // True when the format has any time-of-day directive (%H %I %M %S %f %p).
    bool has_time() const { return has_time_; }
    const std::string& source() const { return source_; }

private:
    enum class Op : uint8_t {
        Literal,
        Space,
        Year4,
        Year2,
        Month,
        Day,
        Hour24,
        Hour12,
        Minute,
        Second,
        Fraction,
        MonthAbbr,
        MonthFull,
        DayAbbr,
        DayFull,
        AmPm,
        Offset,
        DayOfYear,
    };
    struct Step {
        Op op;
        char literal = 0;        // Literal: lower-cased character
        bool two_digit = false;  // Month/Day: exactly two digits (pandas ISO path)
    };
    struct Fields;
    struct Directive;
    static const Directive kDirectives[];
    static const Directive* directive_of(Op op);        // nullptr for Literal and Space
    void add_directive(char letter, bool compact_iso);  // throws ConfigError when unsupported
    void note_fixed_width();  // sets fixed_width_ (and the ymd layout) after compile

    bool match(size_t step, std::string_view v, size_t pos, Fields& f) const;
    // The steps of `match`, one per kind of directive; each tries its alternatives and
    // continues with match_rest.
    struct Cursor {
        size_t step;
        std::string_view v;
        size_t pos;
    };
    struct NumberRange {
        int lo, hi;     // two digits within [lo, hi]
        int lo1;        // or one digit within [lo1, 9]
        bool two_only;  // two digits only
    };
    bool match_rest(const Cursor& at, size_t pos, Fields& f) const;
    bool match_number(const Cursor& at, Fields& f, int& slot, const NumberRange& r) const;
    bool match_space(const Cursor& at, Fields& f) const;
    bool match_year4(const Cursor& at, Fields& f) const;
    bool match_year2(const Cursor& at, Fields& f) const;
    bool match_day(const Cursor& at, Fields& f, bool two_only) const;
    bool match_fraction(const Cursor& at, Fields& f) const;
    bool match_month_name(const Cursor& at, Fields& f, size_t length) const;
    bool match_day_name(const Cursor& at, Fields& f, size_t length) const;
    bool match_ampm(const Cursor& at, Fields& f) const;
    bool match_day_of_year(const Cursor& at, Fields& f) const;
    bool match_offset(const Cursor& at, Fields& f) const;
    // The first path `match` would try (two digits per numeric field, one whitespace
    // character per Space), walked without recursion; false means "ask match".
    bool match_fixed(std::string_view v, Fields& f) const;
    void note_ymd_layout();  // sets ymd_width_ / ymd_sep_ after compile

    std::vector<Step> steps_;
    std::string source_;
    bool has_offset_ = false;
    bool has_time_ = false;
    // Every step has one preferred width (see match_fixed); their sum, else 0.
    size_t fixed_width_ = 0;
    // iso_date_fast: 8 (%Y%m%d) or 10 (%Y?%m?%d with literal separators ymd_sep_), else 0.
    size_t ymd_width_ = 0;
    char ymd_sep_[2] = {};
};

// Writes "YYYY-MM-DD" (date_only) or "YYYY-MM-DD HH:MM:SS[.ffffff][±HH:MM[:SS]]" (fraction
// only when microsecond != 0, offset only when has_offset) to `out`, which must hold at
// least 40 bytes. Returns the length written. `t` must hold what `parse` produces (fields in
// their calendar ranges, year >= 0, |offset| < 24 h); years above 9999 are written modulo 10000.
size_t format_iso(const ParsedTime& t, bool date_only, char* out);

// True when format_iso(t, …) of a parsed `t` is a literal Redshift (types::check_value) takes
// for DATE (date_only), TIMESTAMP and TIMESTAMPTZ: parse already rejected invalid calendar
// dates and out-of-range fields, so what is left is a year past 9999 (a %j roll-over: four
// digits cannot show it) and an offset with seconds (check_value takes ±HH[:MM] only).
inline bool iso_is_valid_literal(const ParsedTime& t) {
    return t.year <= 9999 && t.offset_seconds % 60 == 0;
}

// pandas stores datetime64[ns]: 1677-09-21 00:12:43.145224192 .. 2262-04-11 23:47:16.854775807.
// Values outside make pandas raise OutOfBoundsDatetime.
bool in_pandas_range(const ParsedTime& t);

}  // namespace gdx::transform
