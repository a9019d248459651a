#pragma once
// A Redshift batch in parts (docs/redshift.md#parallel-copy): COPY gives each slice of the
// cluster one file at a time, so one batch object keeps one slice busy. The batch is cut at row
// ends into about a multiple of the cluster's slice count of parts, each zstd-compressed and
// small enough to stay under 125 MB, listed in one manifest that one COPY loads. Each part
// repeats the header line (COPY's IGNOREHEADER 1 applies to every file), and the layout keeps
// where each part starts in the batch, so a rejected row is reported at its batch line.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/object_store.hpp"
#include "store/zstd_writer.hpp"

namespace gdx::warehouse::redshift {

// Input bytes after which a part ends at the next row end.
struct PartPlan {
    uint64_t part_bytes = 0;
    uint64_t parts = 1;  // aimed at; the real count follows the batch's real size
};

// A part never holds more than this many input bytes (plus the end of its last row): compressed
// it stays well under COPY's recommended 125 MB whatever the data.
inline constexpr uint64_t kMaxPartInput = 112ull << 20;
// Nor fewer than this, unless the batch is smaller: at zstd's usual ratio on text it keeps a part
// above 1 MB compressed, below which S3 requests cost more than the parallelism gains.
inline constexpr uint64_t kMinPartInput = 8ull << 20;

// The plan for a batch of about `expected_bytes` (the source object's size) on a cluster of
// `slices` slices: the smallest multiple of `slices` parts of at most kMaxPartInput each; fewer
// parts (as many kMinPartInput ones as fit, at least one) when the batch is too small for one
// part per slice.
PartPlan plan_parts(uint64_t expected_bytes, uint64_t slices);

struct BatchPart {
    std::string key;
    uint64_t first_line = 0;  // batch line of the part's first data row (the header is line 1)
    uint64_t rows = 0;
    uint64_t bytes_in = 0;   // uncompressed, header included
    uint64_t bytes_out = 0;  // as stored
};

struct BatchLayout {
    std::string bucket;
    std::string manifest_key;
    std::vector<std::string> columns;  // from the batch's header line
    std::vector<BatchPart> parts;
    uint64_t rows = 0;
};

// "<batch key>.0001.zst": the key of part `index` (0-based).
std::string part_key(const std::string& batch_key, size_t index);
// "<batch key>.manifest".
std::string manifest_key(const std::string& batch_key);

// The batch line of line `part_line` (1-based, the header is 1) of the part that COPY names
// `file_name` ("s3://bucket/key", possibly cut short by the error views' column width); nullopt
// when no single part matches.
std::optional<uint64_t> batch_line_of(const BatchLayout& layout, std::string_view file_name,
                                      uint64_t part_line);

// Receives the batch's bytes (as csv::BatchWriter writes them) and stores them as parts, then,
// at commit(), the manifest; hands the layout to `on_commit`. Nothing is visible to a load before
// the manifest is written. Destroying it uncommitted abandons the part being written (the parts
// already stored are left for the next attempt to overwrite).
class PartedBatchWriter : public store::ObjectWriter {
public:
    PartedBatchWriter(store::ObjectStore& store, std::string bucket, std::string batch_key,
                      PartPlan plan, int zstd_level,
                      std::function<void(BatchLayout)> on_commit = {});
    ~PartedBatchWriter() override;

    void write(std::string_view bytes) override;
    void commit() override;

    const BatchLayout& layout() const { return layout_; }

private:
    void take_header(std::string_view& bytes);
    void open_part();
    void close_part();
    // Writes `bytes`, which end at a row end when `row_end`, to the current part.
    void emit(std::string_view bytes);

    store::ObjectStore& store_;
    std::string batch_key_;
    PartPlan plan_;
    int level_;
    std::function<void(BatchLayout)> on_commit_;
    BatchLayout layout_;

    std::string header_;  // the header line, LF included, once complete
    bool header_done_ = false;
    bool escaped_ = false;  // the previous byte was an unpaired backslash
    std::unique_ptr<store::ObjectWriter> object_;
    std::unique_ptr<store::ZstdWriter> part_;
    uint64_t next_line_ = 2;
    bool committed_ = false;
};

}  // namespace gdx::warehouse::redshift
