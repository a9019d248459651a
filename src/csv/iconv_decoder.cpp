#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "csv/decoders.hpp"
#include "util/error.hpp"

namespace gdx::csv::detail {
namespace {
constexpr size_t kInputChunk = 64 * 1024;
const iconv_t kNoIconv = reinterpret_cast<iconv_t>(-1);
}  // namespace

IconvDecoder::IconvDecoder(ByteSource& raw, Encoding enc) : raw_(raw), enc_(std::move(enc)) {
    in_.resize(kInputChunk);
    if (enc_.name.starts_with("utf-16")) unit_ = 2;
    if (enc_.name.starts_with("utf-32")) unit_ = 4;
}

IconvDecoder::~IconvDecoder() {
    if (cd_ != kNoIconv) iconv_close(cd_);
}

void IconvDecoder::refill() {
    if (eof_) return;
    if (in_pos_ > 0) {
        std::memmove(in_.data(), in_.data() + in_pos_, in_len_ - in_pos_);
        in_len_ -= in_pos_;
        in_pos_ = 0;
    }
    const size_t got = raw_.read(in_.data() + in_len_, in_.size() - in_len_);
    if (got == 0) eof_ = true;
    in_len_ += got;
}

void IconvDecoder::open() {
    std::string from = enc_.iconv_name;
    // Python's utf-16/utf-32 consume a BOM and assume little-endian without one
    // (glibc would assume big-endian).
    if (enc_.name == "utf-16" || enc_.name == "utf-32") {
        while (in_len_ - in_pos_ < unit_ && !eof_) refill();
        const auto* b = reinterpret_cast<const unsigned char*>(in_.data() + in_pos_);
        const size_t avail = in_len_ - in_pos_;
        const std::string base = enc_.name == "utf-16" ? "UTF-16" : "UTF-32";
        from = base + "LE";
        if (unit_ == 2 && avail >= 2 && b[0] == 0xFE && b[1] == 0xFF) {
            from = base + "BE";
            in_pos_ += 2;
        } else if (unit_ == 2 && avail >= 2 && b[0] == 0xFF && b[1] == 0xFE) {
            in_pos_ += 2;
        } else if (unit_ == 4 && avail >= 4 && std::memcmp(b, "\0\0\xFE\xFF", 4) == 0) {
            from = base + "BE";
            in_pos_ += 4;
        } else if (unit_ == 4 && avail >= 4 && std::memcmp(b, "\xFF\xFE\0\0", 4) == 0) {
            in_pos_ += 4;
        }
    }
    cd_ = iconv_open("UTF-8", from.c_str());
    if (cd_ == kNoIconv)
        throw ConfigError("encoding '" + enc_.name + "' is not supported by this system's iconv");
}

// bad_len 0 = an incomplete sequence at the end of the data: report all remaining bytes.
void IconvDecoder::fail(size_t bad_len) const {
    const std::string what = "cannot decode as " + enc_.name;
    const size_t avail = in_len_ - in_pos_;
    const size_t n = bad_len == 0 ? avail : std::min(bad_len, avail);
    throw DataError({what, lines_.current_line(), 0, "", hex_bytes(in_.data() + in_pos_, n)},
                    FailureStage::Decode);
}

size_t IconvDecoder::read_large(char* dst, size_t capacity) {
    if (cd_ == kNoIconv) open();
    for (;;) {
        if (in_pos_ == in_len_ && !eof_) refill();
        if (in_pos_ == in_len_ && eof_) return 0;

        char* inp = in_.data() + in_pos_;
        size_t inleft = in_len_ - in_pos_;
        char* outp = dst;
        size_t outleft = capacity;
        const size_t rc = iconv(cd_, &inp, &inleft, &outp, &outleft);
        const int err = rc == static_cast<size_t>(-1) ? errno : 0;
        in_pos_ = static_cast<size_t>(inp - in_.data());
        const size_t produced = static_cast<size_t>(outp - dst);
        scrub_nuls(dst, produced, lines_);
        lines_.feed(dst, produced);

        if (err == EILSEQ) fail(unit_);
        if (err == EINVAL) {  // incomplete sequence at the end of our input chunk
            if (produced > 0) return produced;
            if (eof_) fail(0);
            const size_t before = in_len_;
            refill();
            if (in_len_ == before && eof_) fail(0);
            continue;
        }
        if (err != 0 && err != E2BIG)
            throw std::runtime_error(std::string("iconv failed: ") + std::strerror(err));
        if (produced > 0) return produced;
    }
}

}  // namespace gdx::csv::detail
