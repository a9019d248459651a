#pragma once
// An ObjectWriter that compresses what it is given with zstd (one frame) into another writer.
// Used for the parts of a Redshift batch (COPY … ZSTD reads them); memory is zstd's own state
// plus one output buffer, whatever the object's size.
#include <cstdint>
#include <string>
#include <string_view>

#include "store/object_store.hpp"

struct ZSTD_CCtx_s;

namespace gdx::store {

class ZstdWriter : public ObjectWriter {
public:
    // level: zstd's (1 = fast; negative levels are faster still). Throws BackendError when zstd
    // cannot be set up.
    ZstdWriter(ObjectWriter& out, int level);
    ~ZstdWriter() override;
    ZstdWriter(const ZstdWriter&) = delete;
    ZstdWriter& operator=(const ZstdWriter&) = delete;

    void write(std::string_view bytes) override;
    // Ends the frame, then commits the underlying writer.
    void commit() override;

    uint64_t bytes_in() const { return bytes_in_; }
    uint64_t bytes_out() const { return bytes_out_; }

private:
    // Runs the compressor over `bytes` with `end` (ZSTD_e_continue or ZSTD_e_end).
    void run(std::string_view bytes, int end);

    ObjectWriter& out_;
    ZSTD_CCtx_s* cctx_;
    std::string buffer_;
    uint64_t bytes_in_ = 0;
    uint64_t bytes_out_ = 0;
};

// Decompresses a whole zstd object (tests and tools; not for large data).
std::string zstd_decompress(std::string_view compressed);

}  // namespace gdx::store
