#pragma once
// Would Redshift COPY accept this text for a column of this type? The embedded backends use
// this to reject exactly what Redshift would reject (DESIGN.md §2).
#include <cstddef>
#include <string_view>

#include "types/column_type.hpp"

namespace gdx::types {

// nullptr when the (non-missing) text `value` would load into a column of type `t`, else a
// short reason such as "invalid integer" or "value too long for VARCHAR(20)". The pointer is
// either a string literal or a thread-local buffer valid until the next call on the same
// thread: copy it before calling again. Never allocates.
//   Text: byte length <= length.  Integers: optional spaces, sign, digits, in range.
//   Floats: decimal/exponent, inf/infinity/nan.  DECIMAL(p,s): at most p-s integer digits
//   (extra fraction digits are rounded, as Redshift does).  Boolean: t/true/y/yes/1/f/false/
//   n/no/0 any case.  DATE: YYYY-MM-DD.  TIMESTAMP[TZ]: YYYY-MM-DD[ HH:MM:SS[.f{1,6}]] with
//   an optional Z / ±HH[[:]MM] offset.  TIME: HH:MM:SS[.f{1,6}].  Other: always accepted.
const char* check_value(const ColumnType& t, std::string_view value);

// The common shape -?D+(.D+)? with at most 36 characters: a finite value that neither
// overflows nor underflows REAL or DOUBLE PRECISION, so check_value accepts it for both
// without a full parse. False says nothing: ask check_value.
inline bool is_plain_decimal(std::string_view v) {
    if (v.empty() || v.size() > 36) return false;
    size_t i = v[0] == '-' ? 1 : 0;
    const size_t int_begin = i;
    while (i < v.size() && static_cast<unsigned char>(v[i] - '0') <= 9) ++i;
    if (i == int_begin) return false;
    if (i == v.size()) return true;
    if (v[i] != '.') return false;
    const size_t frac_begin = ++i;
    while (i < v.size() && static_cast<unsigned char>(v[i] - '0') <= 9) ++i;
    return i == v.size() && i > frac_begin;
}

// The truth value of a boolean text accepted by check_value (for the SQLite loader).
bool storage_bool(std::string_view value);

}  // namespace gdx::types
