#pragma once
// Internal: fast search for "special" bytes in the tokenizer hot loops.
#include <cstddef>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gdx::csv::detail {

// Bytes that must stay readable past the end of any range given to find_any3.
inline constexpr size_t kScanPadding = 16;

// First byte in [p, end) equal to a, b or c, or end. Reads up to 15 bytes past `end`, so
// the range must be followed by kScanPadding readable bytes (their values do not matter).
inline const char* find_any3(const char* p, const char* end, char a, char b, char c) {
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8(a);
    const __m128i vb = _mm_set1_epi8(b);
    const __m128i vc = _mm_set1_epi8(c);
    while (p < end) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                                         _mm_cmpeq_epi8(x, vc));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (mask) {
            const char* r = p + __builtin_ctz(mask);
            return r < end ? r : end;
        }
        p += 16;
    }
    return end;
#else
    for (; p < end; ++p)
        if (*p == a || *p == b || *p == c) return p;
    return end;
#endif
}

// Index of the first byte of p[0, n) that the batch format escapes (\\, |, LF, CR), or n.
// Reads up to 15 bytes past p + n, which must be readable (their values do not matter).
inline size_t find_escape_padded(const char* p, size_t n) {
#if defined(__SSE2__)
    const __m128i bs = _mm_set1_epi8('\\');
    const __m128i bar = _mm_set1_epi8('|');
    const __m128i lf = _mm_set1_epi8('\n');
    const __m128i cr = _mm_set1_epi8('\r');
    for (size_t i = 0; i < n; i += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
        const __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, bs), _mm_cmpeq_epi8(x, bar)),
                         _mm_or_si128(_mm_cmpeq_epi8(x, lf), _mm_cmpeq_epi8(x, cr)));
        unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (n - i < 16) mask &= (1u << (n - i)) - 1;  // bytes past the end do not count
        if (mask) return i + static_cast<size_t>(__builtin_ctz(mask));
    }
    return n;
#else
    for (size_t i = 0; i < n; ++i) {
        const char x = p[i];
        if ((x == '\\') | (x == '|') | (x == '\n') | (x == '\r')) return i;
    }
    return n;
#endif
}

// First byte in [p, end) equal to a, b, c or e, or end. Never reads outside the range, so it
// works on caller-owned strings.
inline const char* find_any4_bounded(const char* p, const char* end, char a, char b, char c,
                                     char e) {
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8(a);
    const __m128i vb = _mm_set1_epi8(b);
    const __m128i vc = _mm_set1_epi8(c);
    const __m128i ve = _mm_set1_epi8(e);
    for (; end - p >= 16; p += 16) {
        const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        const __m128i hit =
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                         _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, ve)));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (mask) return p + __builtin_ctz(mask);
    }
#endif
    for (; p < end; ++p) {
        const char x = *p;
        if ((x == a) | (x == b) | (x == c) | (x == e)) return p;
    }
    return end;
}

}  // namespace gdx::csv::detail
