#include <algorithm>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "csv/decoders.hpp"
#include "util/error.hpp"

namespace gdx::csv::detail {

std::string hex_bytes(const char* p, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) {
        if (i) out += ' ';
        out += fmt::format("0x{:02x}", static_cast<unsigned char>(p[i]));
    }
    return out;
}

size_t StagedSource::read(char* dst, size_t capacity) {
    if (capacity == 0) return 0;
    if (stage_pos_ == stage_len_) {
        if (capacity >= kMinDirect) return read_large(dst, capacity);
        if (stage_.empty()) stage_.resize(4096);
        stage_pos_ = 0;
        stage_len_ = read_large(stage_.data(), stage_.size());
        if (stage_len_ == 0) return 0;
    }
    const size_t n = std::min(capacity, stage_len_ - stage_pos_);
    std::memcpy(dst, stage_.data() + stage_pos_, n);
    stage_pos_ += n;
    return n;
}

void StagedSource::scrub_found_nuls(char* p, size_t n, const LineCounter& lines) {
    char* nul = static_cast<char*>(std::memchr(p, '\0', n));
    if (!nul_reported_) {
        nul_reported_ = true;
        LineCounter at_nul = lines;
        at_nul.feed(p, static_cast<size_t>(nul - p));
        if (on_nul_) on_nul_(at_nul.current_line());
    }
    for (; nul != nullptr; nul = static_cast<char*>(std::memchr(nul, '\0', n - (nul - p))))
        *nul = ' ';
}

namespace {

enum class Utf8Status { Ok, Incomplete, Invalid };

struct Utf8Check {
    Utf8Status status = Utf8Status::Ok;
    size_t valid = 0;    // bytes [0, valid) are complete, valid UTF-8
    size_t bad_len = 0;  // Invalid: length of the maximal ill-formed prefix (Python's report)
};

// The ASCII prefix of p[0, n): its length, the LF bytes in it and whether it holds a CR.
// One pass for what the line counter and the validator both need: for ASCII text that is
// the whole chunk, read once instead of three times (ASCII skip, CR search, LF count).
struct AsciiScan {
    size_t length = 0;
    uint64_t lf = 0;
    bool cr = false;
};

AsciiScan scan_ascii(const char* p, size_t n) {
    AsciiScan r;
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i vlf = _mm_set1_epi8('\n');
    const __m128i vcr = _mm_set1_epi8('\r');
    const __m128i zero = _mm_setzero_si128();
    __m128i crs = zero;
    bool non_ascii = false;
    while (!non_ascii && i + 16 <= n) {
        // Per-byte LF counters (a match is -1, so subtract), summed with psadbw before they
        // can wrap: no popcount, which without -mpopcnt is a libgcc call.
        __m128i lfs = zero;
        for (int k = 0; k < 255 && i + 16 <= n; ++k, i += 16) {
            const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
            if (_mm_movemask_epi8(x) != 0) {  // a byte >= 0x80: the validator takes over here
                non_ascii = true;
                break;
            }
            lfs = _mm_sub_epi8(lfs, _mm_cmpeq_epi8(x, vlf));
            crs = _mm_or_si128(crs, _mm_cmpeq_epi8(x, vcr));
        }
        const __m128i sums = _mm_sad_epu8(lfs, zero);
        r.lf += static_cast<uint64_t>(_mm_cvtsi128_si32(sums)) +
                static_cast<uint64_t>(_mm_extract_epi16(sums, 4));
    }
    r.cr = _mm_movemask_epi8(crs) != 0;
    if (non_ascii) {
        r.length = i;
        return r;
    }
#endif
    for (; i < n && static_cast<unsigned char>(p[i]) < 0x80; ++i) {
        r.lf += p[i] == '\n';
        r.cr |= p[i] == '\r';
    }
    r.length = i;
    return r;
}

// Skips a run of ASCII bytes, 64 at a time; returns the first index not covered.
size_t skip_ascii(const unsigned char* p, size_t i, size_t n) {
    for (; i + 64 <= n; i += 64) {
        uint64_t w[8];
        std::memcpy(w, p + i, 64);
        if (((w[0] | w[1] | w[2] | w[3] | w[4] | w[5] | w[6] | w[7]) & 0x8080808080808080ULL) != 0)
            break;
    }
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, p + i, 8);
        if ((w & 0x8080808080808080ULL) != 0) break;
    }
    return i;
}

// Strict UTF-8 per Unicode Table 3-7 (no overlongs, surrogates or code points > U+10FFFF),
// which is what Python's strict utf-8 codec accepts.
// Bytes [0, from) are known to be ASCII.
Utf8Check check_utf8(const char* data, size_t n, size_t from) {
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    size_t i = from;
    while (i < n) {
        i = skip_ascii(p, i, n);
        if (i >= n) break;
        const unsigned char c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return {Utf8Status::Invalid, i, 1};
        }
        for (size_t k = 1; k < len; ++k) {
            if (i + k >= n) return {Utf8Status::Incomplete, i, 0};
            const unsigned char b = p[i + k];
            const bool ok = (k == 1) ? (b >= lo && b <= hi) : (b >= 0x80 && b <= 0xBF);
            if (!ok) return {Utf8Status::Invalid, i, k};
        }
        i += len;
    }
    return {Utf8Status::Ok, n, 0};
}

}  // namespace

size_t Utf8Decoder::read_large(char* dst, size_t capacity) {
    for (;;) {
        const size_t carried = carry_len_;
        std::memcpy(dst, carry_, carried);
        carry_len_ = 0;
        const size_t got = raw_.read(dst + carried, capacity - carried);
        const size_t total = carried + got;
        if (got == 0) {
            if (carried == 0) return 0;
            lines_.feed(dst, 0);
            throw DataError(
                {"cannot decode as utf-8", lines_.current_line(), 0, "", hex_bytes(dst, carried)},
                FailureStage::Decode);
        }
        const AsciiScan ascii = scan_ascii(dst, total);
        const Utf8Check chk = ascii.length == total ? Utf8Check{Utf8Status::Ok, total, 0}
                                                    : check_utf8(dst, total, ascii.length);
        scrub_nuls(dst, chk.valid, lines_);
        if (ascii.cr)
            lines_.feed(dst, ascii.length);
        else
            lines_.feed_counted(dst, ascii.length, ascii.lf);
        lines_.feed(dst + ascii.length, chk.valid - ascii.length);
        if (chk.status == Utf8Status::Invalid)
            throw DataError({"cannot decode as utf-8", lines_.current_line(), 0, "",
                             hex_bytes(dst + chk.valid, chk.bad_len)},
                            FailureStage::Decode);
        if (chk.status == Utf8Status::Incomplete) {
            carry_len_ = total - chk.valid;
            std::memcpy(carry_, dst + chk.valid, carry_len_);
        }
        size_t out = chk.valid;
        if (at_start_ && out > 0) {
            at_start_ = false;
            if (out >= 3 && std::memcmp(dst, "\xEF\xBB\xBF", 3) == 0) {
                std::memmove(dst, dst + 3, out - 3);
                out -= 3;
            }
        }
        if (out > 0) return out;
    }
}

}  // namespace gdx::csv::detail
