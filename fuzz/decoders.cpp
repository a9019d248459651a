// The decoders (strict UTF-8 and iconv) of every encoding a config may name. Decoding in one
// chunk and in tiny chunks, read through small destination buffers, must give the same
// UTF-8, or the same error (what, line, bytes); what comes out of a decoder is valid UTF-8.
#include <cstdint>
#include <string>

#include "csv/encoding.hpp"
#include "fuzz_input.hpp"
#include "util/error.hpp"

namespace {

using namespace gdx;

constexpr const char* kEncodings[] = {"utf-8",      "utf-16",    "utf-16-le", "utf-16-be", "utf-32",
                                      "utf-32-be",  "latin-1",   "ascii",     "cp1252",    "cp1251",
                                      "iso-8859-2", "shift_jis", "gb18030"};

struct Decoded {
    std::string text;
    std::string error;
    uint64_t error_line = 0;
    std::string error_value;
    bool operator==(const Decoded&) const = default;
};

Decoded decode(std::string_view bytes, const csv::Encoding& enc, size_t max_chunk,
               size_t read_size) {
    Decoded d;
    csv::StringSource raw(bytes, max_chunk);
    auto decoder = csv::make_decoder(raw, enc);
    std::string buf(read_size, '\0');
    try {
        while (size_t n = decoder->read(buf.data(), buf.size())) d.text.append(buf.data(), n);
    } catch (const DataError& e) {
        d.error = e.info().what;
        d.error_line = e.info().line;
        d.error_value = e.info().value;
    }
    return d;
}

bool valid_utf8(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gdx::fuzz::FuzzInput in(data, size);
    csv::Encoding enc;
    try {
        enc = csv::resolve_encoding(kEncodings[in.byte() % std::size(kEncodings)]);
    } catch (const ConfigError&) {
        return 0;  // an encoding this build's iconv does not know
    }
    const size_t small_chunk = 1 + in.byte() % 13;
    const size_t small_read = 1 + in.byte() % 70;
    const std::string_view bytes = in.rest();
    const Decoded whole = decode(bytes, enc, static_cast<size_t>(-1), 1 << 16);
    const Decoded pieces = decode(bytes, enc, small_chunk, small_read);
    if (whole.error.empty() && pieces.error.empty()) {
        gdx::fuzz::check(whole.text == pieces.text);
    } else {
        // How much text came out before the error depends on the chunking; the error not.
        gdx::fuzz::check(whole.error == pieces.error && whole.error_line == pieces.error_line &&
                         whole.error_value == pieces.error_value);
    }
    gdx::fuzz::check(valid_utf8(whole.text) && valid_utf8(pieces.text));
    return 0;
}
