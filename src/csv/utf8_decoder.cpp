#include <algorithm>
#include <cstring>

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

namespace {

enum class Utf8Status { Ok, Incomplete, Invalid };

struct Utf8Check {
    Utf8Status status = Utf8Status::Ok;
    size_t valid = 0;    // bytes [0, valid) are complete, valid UTF-8
    size_t bad_len = 0;  // Invalid: length of the maximal ill-formed prefix (Python's report)
};

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
Utf8Check check_utf8(const char* data, size_t n) {
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    size_t i = 0;
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
                {"cannot decode as utf-8", lines_.current_line(), 0, "", hex_bytes(dst, carried)});
        }
        const Utf8Check chk = check_utf8(dst, total);
        lines_.feed(dst, chk.valid);
        if (chk.status == Utf8Status::Invalid)
            throw DataError({"cannot decode as utf-8", lines_.current_line(), 0, "",
                             hex_bytes(dst + chk.valid, chk.bad_len)});
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
