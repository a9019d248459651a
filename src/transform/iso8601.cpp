#include "transform/iso8601.hpp"

#include "transform/calendar.hpp"
#include "util/ascii.hpp"

namespace gdx::transform {
namespace {

// Reads exactly `n` digits at v[pos]; advances pos.
bool digits(std::string_view v, size_t& pos, size_t n, int& out) {
    if (pos + n > v.size()) return false;
    int x = 0;
    for (size_t i = 0; i < n; ++i) {
        if (!ascii::is_digit(v[pos + i])) return false;
        x = x * 10 + (v[pos + i] - '0');
    }
    pos += n;
    out = x;
    return true;
}

bool at(std::string_view v, size_t pos, char c) {
    return pos < v.size() && v[pos] == c;
}

// Z, ±HH, ±HH:MM or ±HHMM at v[pos] up to the end.
bool offset(std::string_view v, size_t pos, ParsedTime& t) {
    if (at(v, pos, 'Z')) {
        t.has_offset = true;
        t.offset_seconds = 0;
        return pos + 1 == v.size();
    }
    if (!at(v, pos, '+') && !at(v, pos, '-')) return false;
    const int sign = v[pos++] == '-' ? -1 : 1;
    int h = 0, m = 0;
    if (!digits(v, pos, 2, h)) return false;
    if (pos < v.size()) {
        if (at(v, pos, ':')) ++pos;
        if (!digits(v, pos, 2, m)) return false;
    }
    if (pos != v.size() || h > 23 || m > 59) return false;
    t.has_offset = true;
    t.offset_seconds = sign * (h * 3600 + m * 60);
    return true;
}

}  // namespace

bool parse_iso8601(std::string_view v, ParsedTime& out) {
    ParsedTime t;
    size_t pos = 0;
    if (!digits(v, pos, 4, t.year) || !at(v, pos++, '-') || !digits(v, pos, 2, t.month) ||
        !at(v, pos++, '-') || !digits(v, pos, 2, t.day))
        return false;
    if (t.year < 1 || t.month < 1 || t.month > 12 || t.day < 1 ||
        t.day > calendar::days_in_month(t.year, t.month))
        return false;
    if (pos < v.size()) {
        if (!at(v, pos, 'T') && !at(v, pos, ' ')) return false;
        ++pos;
        if (!digits(v, pos, 2, t.hour) || !at(v, pos++, ':') || !digits(v, pos, 2, t.minute))
            return false;
        if (at(v, pos, ':')) {
            ++pos;
            if (!digits(v, pos, 2, t.second)) return false;
            if (at(v, pos, '.') || at(v, pos, ',')) {
                ++pos;
                const size_t first = pos;
                int scale = 100000;
                for (; pos < v.size() && ascii::is_digit(v[pos]); ++pos, scale /= 10)
                    t.microsecond += (v[pos] - '0') * scale;  // scale 0 past six digits
                if (pos == first) return false;
            }
        }
        if (t.hour > 23 || t.minute > 59 || t.second > 59) return false;
        if (pos < v.size() && !offset(v, pos, t)) return false;
    }
    out = t;
    return true;
}

}  // namespace gdx::transform
