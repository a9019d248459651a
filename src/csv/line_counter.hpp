#pragma once
// Internal: counts physical lines (terminated by \n, \r\n or \r) across chunk boundaries,
// so decoders can report the line of an undecodable byte.
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace gdx::csv::detail {

class LineCounter {
public:
    void feed(const char* p, size_t n) {
        if (n == 0) return;
        if (std::memchr(p, '\r', n) == nullptr) {  // common case: LF or no terminators
            if (pending_cr_ && p[0] != '\n') ++terminators_;
            pending_cr_ = false;
            terminators_ += count_lf(p, n);
            return;
        }
        for (size_t i = 0; i < n; ++i) {
            const char c = p[i];
            if (c == '\n') {
                ++terminators_;
                pending_cr_ = false;
            } else {
                if (pending_cr_) ++terminators_;
                pending_cr_ = (c == '\r');
            }
        }
    }
    // feed() for bytes the caller has already scanned: they hold `lf` LF bytes and no CR.
    void feed_counted(const char* p, size_t n, uint64_t lf) {
        if (n == 0) return;
        if (pending_cr_ && p[0] != '\n') ++terminators_;
        pending_cr_ = false;
        terminators_ += lf;
    }
    // 1-based line of the next byte to be fed.
    uint64_t current_line() const { return 1 + terminators_ + (pending_cr_ ? 1 : 0); }

private:
    static uint64_t count_lf(const char* p, size_t n) {
        uint64_t count = 0;
        size_t i = 0;
#if defined(__SSE2__)
        // Per-byte counters (a match is -1, so subtract), summed with psadbw before they can
        // wrap: no popcount, which without -mpopcnt is a libgcc call.
        const __m128i lf = _mm_set1_epi8('\n');
        const __m128i zero = _mm_setzero_si128();
        while (i + 16 <= n) {
            __m128i acc = zero;
            for (int k = 0; k < 255 && i + 16 <= n; ++k, i += 16) {
                const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
                acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(x, lf));
            }
            const __m128i sums = _mm_sad_epu8(acc, zero);
            count += static_cast<uint64_t>(_mm_cvtsi128_si32(sums)) +
                     static_cast<uint64_t>(_mm_extract_epi16(sums, 4));
        }
#endif
        for (; i < n; ++i) count += (p[i] == '\n');
        return count;
    }

    uint64_t terminators_ = 0;
    bool pending_cr_ = false;
};

}  // namespace gdx::csv::detail
