#pragma once
// Where each batch row came from: the source object's line of every data row the transform
// wrote, so that a row the warehouse rejects (it names a record of the batch, or of a Redshift
// part mapped back to the batch) is reported at the line of the object the user has. Rows
// usually follow their source lines one to one (line = row + constant); only a record that
// spans lines or blank lines skipped change the constant, so the map keeps one entry per change.
#include <cstdint>
#include <optional>
#include <vector>

namespace gdx::jobs {

class SourceLines {
public:
    // At most this many changes are kept (16 bytes each); rows after the last one kept have no
    // known source line (the batch line still names them).
    static constexpr size_t kMaxRuns = 1 << 16;

    // The next data row of the batch starts at `source_line` (1-based) of the source object.
    void add(uint64_t source_line) {
        const uint64_t row = rows_++;
        if (!runs_.empty() && source_line - row == runs_.back().offset) [[likely]]
            return;
        add_run(row, source_line);
    }
    // The source line of batch record `record` (1-based, the header is record 1, so data row i
    // is record i + 2); nullopt for the header, a record past the rows added, or past the
    // runs kept.
    std::optional<uint64_t> line_of_record(uint64_t record) const;

    uint64_t rows() const { return rows_; }
    void clear();

private:
    struct Run {
        uint64_t first_row;
        uint64_t offset;  // source line - row index, modulo 2^64
    };
    void add_run(uint64_t row, uint64_t source_line);

    std::vector<Run> runs_;
    uint64_t rows_ = 0;
    uint64_t known_rows_ = UINT64_MAX;  // rows from here on have no source line (runs full)
};

}  // namespace gdx::jobs
