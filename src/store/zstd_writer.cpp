#include "store/zstd_writer.hpp"

#include <zstd.h>

#include "util/error.hpp"

namespace gdx::store {

ZstdWriter::ZstdWriter(ObjectWriter& out, int level) : out_(out), cctx_(ZSTD_createCCtx()) {
    if (!cctx_) throw BackendError("zstd: cannot create a compression context");
    size_t rc = ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
    if (ZSTD_isError(rc)) {
        ZSTD_freeCCtx(cctx_);
        throw BackendError(std::string("zstd: level ") + std::to_string(level) + ": " +
                           ZSTD_getErrorName(rc));
    }
    buffer_.resize(ZSTD_CStreamOutSize());
}

ZstdWriter::~ZstdWriter() {
    ZSTD_freeCCtx(cctx_);
}

void ZstdWriter::run(std::string_view bytes, int end) {
    ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
    const auto mode = static_cast<ZSTD_EndDirective>(end);
    for (;;) {
        ZSTD_outBuffer out{buffer_.data(), buffer_.size(), 0};
        size_t remaining = ZSTD_compressStream2(cctx_, &out, &in, mode);
        if (ZSTD_isError(remaining))
            throw BackendError(std::string("zstd: ") + ZSTD_getErrorName(remaining));
        if (out.pos > 0) {
            out_.write(std::string_view(buffer_.data(), out.pos));
            bytes_out_ += out.pos;
        }
        const bool done = mode == ZSTD_e_end ? remaining == 0 : in.pos == in.size;
        if (done) return;
    }
}

void ZstdWriter::write(std::string_view bytes) {
    bytes_in_ += bytes.size();
    run(bytes, ZSTD_e_continue);
}

void ZstdWriter::commit() {
    run({}, ZSTD_e_end);
    out_.commit();
}

std::string zstd_decompress(std::string_view compressed) {
    ZSTD_DCtx* dctx = ZSTD_createDCtx();
    if (!dctx) throw BackendError("zstd: cannot create a decompression context");
    std::string result;
    std::string buffer(ZSTD_DStreamOutSize(), '\0');
    ZSTD_inBuffer in{compressed.data(), compressed.size(), 0};
    size_t last = 1;  // 0 once a frame is complete
    for (;;) {
        ZSTD_outBuffer out{buffer.data(), buffer.size(), 0};
        last = ZSTD_decompressStream(dctx, &out, &in);
        if (ZSTD_isError(last)) {
            ZSTD_freeDCtx(dctx);
            throw BackendError(std::string("zstd: ") + ZSTD_getErrorName(last));
        }
        result.append(buffer.data(), out.pos);
        if (in.pos == in.size && out.pos < out.size) break;  // all read, all flushed
    }
    ZSTD_freeDCtx(dctx);
    if (last != 0) throw BackendError("zstd: truncated frame");
    return result;
}

}  // namespace gdx::store
