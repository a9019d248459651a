#pragma once
// The data path of one object (docs/semantics.md#streaming), shared by every CSV job: object bytes
// -> decode -> CSV reader -> first-row check and header -> rows (-> column pipeline -> batch
// writer). Streams: memory does not grow with the object.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "csv/byte_source.hpp"
#include "csv/csv_options.hpp"
#include "csv/csv_reader.hpp"
#include "csv/encoding.hpp"
#include "jobs/source_lines.hpp"
#include "store/object_store.hpp"
#include "transform/column_plan.hpp"

namespace gdx::jobs {

struct TransformSpec {
    csv::Encoding encoding;
    csv::CsvOptions csv;
    bool has_header = true;
    bool tabs_to_spaces = false;  // every TAB of the decoded text becomes a space (cmslite)
    transform::ColumnPlan plan;   // its input_columns are the fields every row must have
};

struct TransformStats {
    uint64_t bytes_in = 0;      // raw object bytes read
    uint64_t rows = 0;          // data rows
    bool no_columns = false;    // nothing but blank lines: no header, no rows
    uint64_t surplus_rows = 0;  // rows with more fields than column_count (extras dropped)
    uint64_t first_surplus_line = 0;
    uint64_t first_nul_line = 0;  // line of the first NUL byte (made a space by the decoder)
    std::string header_mismatch;  // non-empty when the file's header differs from `columns`
};

// Called now and then with (raw bytes read so far, rows so far).
using ProgressFn = std::function<void(uint64_t, uint64_t)>;

// The data rows of one object, in order. Checks that the first row (the header, or the first
// data row without one) has every input column, and calls `progress` every 65536 rows and at
// the end. Throws DataError at stage decode or parse, BackendError for store failures.
class ObjectRows {
public:
    ObjectRows(const TransformSpec& spec, store::ObjectReader& in, ProgressFn progress = {});
    ~ObjectRows();

    // The next data row; false at the end of the object.
    bool next(csv::Row& row) {
        if (!reader_->next(row)) [[unlikely]]
            return end();
        if (!started_) [[unlikely]]
            if (!first_row(row)) return next(row);
        if (++stats_.rows == next_progress_) [[unlikely]]
            report_progress();
        return true;
    }
    // What was read (bytes, rows, the header); complete once next() returned false.
    const TransformStats& stats() const { return stats_; }

private:
    bool first_row(const csv::Row& row);  // false when it is the header (not a data row)
    bool end();
    void report_progress();

    static constexpr uint64_t kProgressRows = 1 << 16;
    const TransformSpec& spec_;
    ProgressFn progress_;
    csv::CountingSource raw_;
    std::unique_ptr<csv::ByteSource> decoded_;
    std::unique_ptr<csv::ByteSource> cleaned_;  // TabToSpace over decoded_, when asked for
    std::unique_ptr<csv::CsvReader> reader_;
    TransformStats stats_;
    bool started_ = false;
    uint64_t next_progress_ = 2;  // first: the crash point mid_transform (report_progress)
};

// Writes the batch (header + transformed rows) to `out` without committing it, and, when
// `lines` is given, the source line of every row written to it. Throws DataError for bad data
// (with line, column and value), BackendError for store failures.
TransformStats transform_object(const TransformSpec& spec, store::ObjectReader& in,
                                store::ObjectWriter& out, const ProgressFn& progress = {},
                                SourceLines* lines = nullptr);

// Logs what the data path noticed but accepted: a header that differs from the configured
// columns, rows with surplus fields, NUL bytes made spaces (the last two as warnings).
void log_data_notes(const std::string& key, const TransformStats& stats, size_t column_count);

// Throws ObjectRejected (stage empty) for an object without columns or without data rows,
// unless `empty_ok`: every job's one rule for empty objects.
void reject_if_empty(const TransformStats& stats, bool empty_ok);

}  // namespace gdx::jobs
