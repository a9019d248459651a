#pragma once
// Internal: the two decoder implementations behind make_decoder().
#include <iconv.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "csv/byte_source.hpp"
#include "csv/encoding.hpp"
#include "csv/line_counter.hpp"

namespace gdx::csv::detail {

// "0xe2 0x82" for error messages.
std::string hex_bytes(const char* p, size_t n);

// Reads small-capacity requests through a staging buffer so that the real decoders only
// ever fill large destinations (a UTF-8 sequence or iconv output unit always fits).
class StagedSource : public ByteSource {
public:
    size_t read(char* dst, size_t capacity) final;
    void set_nul_handler(NulHandler handler) { on_nul_ = std::move(handler); }

protected:
    virtual size_t read_large(char* dst, size_t capacity) = 0;
    static constexpr size_t kMinDirect = 64;
    // Replaces every NUL byte of decoded p[0, n) with a space; the first of the object is
    // reported with its line (`lines` has been fed everything before p).
    void scrub_nuls(char* p, size_t n, const LineCounter& lines) {
        if (std::memchr(p, '\0', n) != nullptr) scrub_found_nuls(p, n, lines);
    }

private:
    void scrub_found_nuls(char* p, size_t n, const LineCounter& lines);

    std::vector<char> stage_;
    size_t stage_pos_ = 0, stage_len_ = 0;
    NulHandler on_nul_;
    bool nul_reported_ = false;
};

// Strict UTF-8 validation in place in the caller's buffer; drops a leading BOM.
class Utf8Decoder : public StagedSource {
public:
    explicit Utf8Decoder(ByteSource& raw) : raw_(raw) {}

protected:
    size_t read_large(char* dst, size_t capacity) override;

private:
    ByteSource& raw_;
    char carry_[4] = {};  // an incomplete sequence at the end of the previous chunk
    size_t carry_len_ = 0;
    bool at_start_ = true;
    LineCounter lines_;
};

// Any other encoding, through glibc iconv to UTF-8, chunk by chunk.
class IconvDecoder : public StagedSource {
public:
    IconvDecoder(ByteSource& raw, Encoding enc);
    ~IconvDecoder() override;
    IconvDecoder(const IconvDecoder&) = delete;
    IconvDecoder& operator=(const IconvDecoder&) = delete;

protected:
    size_t read_large(char* dst, size_t capacity) override;

private:
    void refill();
    void open();  // lazily, after BOM detection for utf-16/utf-32
    [[noreturn]] void fail(size_t bad_len) const;

    ByteSource& raw_;
    Encoding enc_;
    iconv_t cd_ = reinterpret_cast<iconv_t>(-1);
    std::vector<char> in_;
    size_t in_pos_ = 0, in_len_ = 0;
    bool eof_ = false;
    size_t unit_ = 1;  // code unit width, for error values
    LineCounter lines_;
};

}  // namespace gdx::csv::detail
