// Redshift COPY acceptance rules per column type (docs/semantics.md#backends). Hot path: no
// allocation.
#include "types/value_check.hpp"
#include "util/ascii.hpp"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <system_error>

namespace gdx::types {
namespace {

using ascii::is_digit;
using ascii::is_space;
using ascii::lower;

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != b[i]) return false;
    return true;
}

// "VARCHAR(20)" etc. for messages: the declared text, or one derived from the kind.
void type_label(const ColumnType& t, char* out, size_t cap) {
    if (!t.declared.empty()) {
        std::snprintf(out, cap, "%s", t.declared.c_str());
        return;
    }
    switch (t.kind) {
        case TypeKind::Text:
            std::snprintf(out, cap, "VARCHAR(%d)", t.length);
            break;
        case TypeKind::Decimal:
            std::snprintf(out, cap, "NUMERIC(%d,%d)", t.precision < 0 ? 18 : t.precision,
                          t.scale < 0 ? 0 : t.scale);
            break;
        default:
            std::snprintf(out, cap, "column type");
            break;
    }
}

const char* format_message(const char* prefix, const ColumnType& t) {
    thread_local char buf[160];
    char label[96];
    type_label(t, label, sizeof label);
    std::snprintf(buf, sizeof buf, "%s %s", prefix, label);
    return buf;
}

const char* check_int(std::string_view v, int64_t lo, int64_t hi, const char* range_msg) {
    v = trim(v);
    bool neg = false;
    if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
        neg = v[0] == '-';
        v.remove_prefix(1);
    }
    if (v.empty()) return "invalid integer";
    // Accumulate as a negative number so INT64_MIN is representable.
    int64_t acc = 0;
    bool overflow = false;
    for (char c : v) {
        if (!is_digit(c)) return "invalid integer";
        int d = c - '0';
        if (acc < (std::numeric_limits<int64_t>::min() + d) / 10) overflow = true;
        if (!overflow) acc = acc * 10 - d;
    }
    if (overflow) return range_msg;
    if (!neg) {
        if (acc == std::numeric_limits<int64_t>::min()) return range_msg;
        acc = -acc;
    }
    return (acc < lo || acc > hi) ? range_msg : nullptr;
}

template <class F>
const char* check_float(std::string_view v, const char* range_msg) {
    if (is_plain_decimal(v)) return nullptr;
    v = trim(v);
    if (!v.empty() && v[0] == '+') {
        v.remove_prefix(1);
        if (!v.empty() && (v[0] == '-' || v[0] == '+')) return "invalid number";
    }
    if (v.empty()) return "invalid number";
    F out{};
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (p != v.data() + v.size()) return "invalid number";
    if (ec == std::errc::result_out_of_range) return range_msg;
    if (ec != std::errc()) return "invalid number";
    return nullptr;
}

const char* check_decimal(const ColumnType& t, std::string_view v) {
    v = trim(v);
    size_t i = 0;
    if (i < v.size() && (v[i] == '+' || v[i] == '-')) ++i;
    size_t int_begin = i;
    while (i < v.size() && is_digit(v[i])) ++i;
    size_t ni = i - int_begin;
    size_t frac_begin = i, nf = 0;
    if (i < v.size() && v[i] == '.') {
        frac_begin = ++i;
        while (i < v.size() && is_digit(v[i])) ++i;
        nf = i - frac_begin;
    }
    if (ni + nf == 0) return "invalid number";
    long exp = 0;
    if (i < v.size() && (v[i] == 'e' || v[i] == 'E')) {
        ++i;
        bool eneg = false;
        if (i < v.size() && (v[i] == '+' || v[i] == '-')) eneg = v[i++] == '-';
        if (i >= v.size() || !is_digit(v[i])) return "invalid number";
        for (; i < v.size() && is_digit(v[i]); ++i)
            if (exp < 1000000) exp = exp * 10 + (v[i] - '0');
        if (eneg) exp = -exp;
    }
    if (i != v.size()) return "invalid number";

    const long n = static_cast<long>(ni + nf);
    auto digit = [&](long k) {
        return k < static_cast<long>(ni) ? v[int_begin + k] : v[frac_begin + (k - ni)];
    };
    long first = 0;  // first non-zero digit
    while (first < n && digit(first) == '0') ++first;
    if (first == n) return nullptr;  // zero

    const long p = t.precision < 0 ? 18 : t.precision;
    const long s = t.scale < 0 ? 0 : t.scale;
    const long point = static_cast<long>(ni) + exp;  // digits before the decimal point
    const long round_at = point + s;                 // first digit dropped by rounding
    long int_digits = point - first;
    if (first < round_at && round_at < n && digit(round_at) >= '5') {
        bool all_nines = true;
        for (long k = first; k < round_at && all_nines; ++k) all_nines = digit(k) == '9';
        if (all_nines) int_digits += 1;  // 99.995 -> 100.00
    }
    if (int_digits < 0) int_digits = 0;
    return int_digits > p - s ? format_message("numeric field overflow for", t) : nullptr;
}

const char* check_bool(std::string_view v) {
    v = trim(v);
    switch (v.size()) {
        case 1: {
            char c = lower(v[0]);
            return (c == 't' || c == 'y' || c == '1' || c == 'f' || c == 'n' || c == '0')
                       ? nullptr
                       : "invalid boolean";
        }
        case 2:
            return iequals(v, "no") ? nullptr : "invalid boolean";
        case 3:
            return iequals(v, "yes") ? nullptr : "invalid boolean";
        case 4:
            return iequals(v, "true") ? nullptr : "invalid boolean";
        case 5:
            return iequals(v, "false") ? nullptr : "invalid boolean";
        default:
            return "invalid boolean";
    }
}

// Reads exactly `n` digits at v[i..]; advances i.
bool read_fixed(std::string_view v, size_t& i, int n, int& out) {
    if (i + n > v.size()) return false;
    int acc = 0;
    for (int k = 0; k < n; ++k) {
        if (!is_digit(v[i + k])) return false;
        acc = acc * 10 + (v[i + k] - '0');
    }
    out = acc;
    i += n;
    return true;
}

bool is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int y, int m) {
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

bool read_date(std::string_view v, size_t& i) {
    int y, m, d;
    if (!read_fixed(v, i, 4, y) || i >= v.size() || v[i++] != '-' || !read_fixed(v, i, 2, m) ||
        i >= v.size() || v[i++] != '-' || !read_fixed(v, i, 2, d))
        return false;
    return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool read_time(std::string_view v, size_t& i) {
    int h, mi, s;
    if (!read_fixed(v, i, 2, h) || i >= v.size() || v[i++] != ':' || !read_fixed(v, i, 2, mi) ||
        i >= v.size() || v[i++] != ':' || !read_fixed(v, i, 2, s))
        return false;
    if (h > 23 || mi > 59 || s > 59) return false;
    if (i < v.size() && v[i] == '.') {
        size_t start = ++i;
        while (i < v.size() && is_digit(v[i])) ++i;
        if (i == start || i - start > 6) return false;
    }
    return true;
}

// Z, ±HH, ±HH:MM or ±HHMM.
bool read_offset(std::string_view v, size_t& i) {
    if (v[i] == 'Z' || v[i] == 'z') {
        ++i;
        return true;
    }
    if (v[i] != '+' && v[i] != '-') return false;
    ++i;
    int h, m = 0;
    if (!read_fixed(v, i, 2, h) || h > 23) return false;
    if (i < v.size()) {
        if (v[i] == ':') ++i;
        if (!read_fixed(v, i, 2, m) || m > 59) return false;
    }
    return true;
}

const char* check_timestamp(std::string_view v) {
    v = trim(v);
    size_t i = 0;
    if (!read_date(v, i)) return "invalid timestamp";
    if (i == v.size()) return nullptr;  // date-only loads as midnight
    if (v[i++] != ' ' || !read_time(v, i)) return "invalid timestamp";
    if (i < v.size() && !read_offset(v, i)) return "invalid timestamp";
    return i == v.size() ? nullptr : "invalid timestamp";
}

}  // namespace

const char* check_value(const ColumnType& t, std::string_view value) {
    switch (t.kind) {
        case TypeKind::Text:
            if (t.length >= 0 && value.size() > static_cast<size_t>(t.length))
                return format_message("value too long for", t);
            return nullptr;
        case TypeKind::SmallInt:
            return check_int(value, -32768, 32767, "integer out of range for SMALLINT");
        case TypeKind::Integer:
            return check_int(value, std::numeric_limits<int32_t>::min(),
                             std::numeric_limits<int32_t>::max(),
                             "integer out of range for INTEGER");
        case TypeKind::BigInt:
            return check_int(value, std::numeric_limits<int64_t>::min(),
                             std::numeric_limits<int64_t>::max(),
                             "integer out of range for BIGINT");
        case TypeKind::Real:
            return check_float<float>(value, "value out of range for REAL");
        case TypeKind::Double:
            return check_float<double>(value, "value out of range for DOUBLE PRECISION");
        case TypeKind::Decimal:
            return check_decimal(t, value);
        case TypeKind::Boolean:
            return check_bool(value);
        case TypeKind::Date: {
            std::string_view v = trim(value);
            size_t i = 0;
            return read_date(v, i) && i == v.size() ? nullptr : "invalid date";
        }
        case TypeKind::Timestamp:
        case TypeKind::TimestampTz:
            return check_timestamp(value);
        case TypeKind::Time: {
            std::string_view v = trim(value);
            size_t i = 0;
            return read_time(v, i) && i == v.size() ? nullptr : "invalid time";
        }
        case TypeKind::Other:
            return nullptr;
    }
    return nullptr;
}

bool storage_bool(std::string_view value) {
    std::string_view v = trim(value);
    if (v.empty()) return false;
    char c = lower(v[0]);
    return c == 't' || c == 'y' || c == '1';
}

}  // namespace gdx::types
