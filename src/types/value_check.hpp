#pragma once
// Would Redshift COPY accept this text for a column of this type? The embedded backends use
// this to reject exactly what Redshift would reject (docs/semantics.md#backends).
#include <cstddef>
#include <string_view>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// is_plain_decimal(v) for a v whose 16 bytes from v.data() are readable (csv::Row fields
// are): up to 16 characters are classified in one vector, without a loop whose exit depends
// on the digits (its mispredictions cost more than the test on short numbers).
inline bool is_plain_decimal_16(std::string_view v) {
#if defined(__SSE2__)
    const size_t n = v.size();
    if (n == 0 || n > 16) return is_plain_decimal(v);
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(v.data()));
    const __m128i is_digit = _mm_and_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, _mm_set1_epi8('0')), x),
                                           _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8('9')), x));
    const unsigned digits = static_cast<unsigned>(_mm_movemask_epi8(is_digit));
    const unsigned dots =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('.'))));
    const unsigned sign = v[0] == '-' ? 1u : 0u;
    const unsigned body = ((1u << n) - 1) & ~sign;  // the characters after an optional '-'
    const unsigned other = body & ~digits;
    if (other == 0) return body != 0;  // -?D+
    // -?D+.D+ : exactly one non-digit, a '.', with a digit on each side
    if ((other & (other - 1)) != 0 || (other & dots) == 0) return false;
    const unsigned dot = static_cast<unsigned>(__builtin_ctz(other));
    return dot > sign && dot + 1 < n;
#else
    return is_plain_decimal(v);
#endif
}

// The truth value of a boolean text accepted by check_value (for the SQLite loader).
bool storage_bool(std::string_view value);

}  // namespace gdx::types
