#pragma once
// Internal: fast search for "special" bytes in the tokenizer hot loops.
#include <cstddef>
#include <cstdint>
#include <cstring>
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

#if defined(__SSE2__)
// Bit i set when byte i of x is one the batch format escapes (\\, LF, CR, and | when kPipe).
template <bool kPipe>
inline unsigned batch_special_mask(__m128i x) {
    __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\\')),
                                            _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
                               _mm_cmpeq_epi8(x, _mm_set1_epi8('\r')));
    if constexpr (kPipe) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(x, _mm_set1_epi8('|')));
    return static_cast<unsigned>(_mm_movemask_epi8(hit));
}
#endif

// Copies src[0, n) to dst and tells whether any copied byte is one the batch format escapes
// (\\, LF, CR, and | when kPipe). Reads and writes only inside the two ranges; the bytes are
// checked in the registers they were copied through (checking dst afterwards would stall on
// the stores).
template <bool kPipe>
inline bool copy_has_special(char* dst, const char* src, size_t n) {
#if defined(__SSE2__)
    __m128i x;
    if (n >= 16) {
        unsigned any = 0;
        for (size_t i = 0; i + 16 < n; i += 16) {
            x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
            _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), x);
            any |= batch_special_mask<kPipe>(x);
        }
        x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + n - 16));  // may overlap
        _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + n - 16), x);
        return (any | batch_special_mask<kPipe>(x)) != 0;
    }
    if (n >= 8) {  // two 8-byte halves, overlapping when n < 16
        const __m128i lo = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(src));
        const __m128i hi = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(src + n - 8));
        _mm_storel_epi64(reinterpret_cast<__m128i*>(dst), lo);
        _mm_storel_epi64(reinterpret_cast<__m128i*>(dst + n - 8), hi);
        x = _mm_unpacklo_epi64(lo, hi);
    } else if (n >= 4) {  // two 4-byte halves
        uint32_t lo, hi;
        std::memcpy(&lo, src, 4);
        std::memcpy(&hi, src + n - 4, 4);
        std::memcpy(dst, &lo, 4);
        std::memcpy(dst + n - 4, &hi, 4);
        x = _mm_unpacklo_epi32(_mm_cvtsi32_si128(static_cast<int>(lo)),
                               _mm_cvtsi32_si128(static_cast<int>(hi)));
    } else if (n > 0) {  // 1 to 3 bytes: first, middle, last
        const char a = src[0], b = src[n / 2], c = src[n - 1];
        dst[0] = a;
        dst[n / 2] = b;
        dst[n - 1] = c;
        // Built in a general register: a vector assembled on the stack would stall the load.
        x = _mm_cvtsi32_si128(
            static_cast<int>(static_cast<unsigned char>(a) | static_cast<unsigned char>(b) << 8 |
                             static_cast<unsigned>(static_cast<unsigned char>(c)) << 16));
    } else {
        return false;
    }
    return batch_special_mask<kPipe>(x) != 0;  // zero bytes are no special byte
#else
    std::memcpy(dst, src, n);
    for (size_t i = 0; i < n; ++i) {
        const char x = src[i];
        if ((x == '\\') | (x == '\n') | (x == '\r') | (kPipe && x == '|')) return true;
    }
    return false;
#endif
}

// One field: \\, |, LF and CR need escaping.
inline bool copy_has_batch_special(char* dst, const char* src, size_t n) {
    return copy_has_special<true>(dst, src, n);
}
// Fields already joined by '|': the separators stay, \\, LF and CR need escaping.
inline bool copy_has_break_or_backslash(char* dst, const char* src, size_t n) {
    return copy_has_special<false>(dst, src, n);
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
