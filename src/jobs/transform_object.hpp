#pragma once
// The data path of one object (docs/semantics.md#streaming): object bytes -> decode -> CSV reader
// -> column pipeline -> batch writer. Streams: memory does not grow with the object.
#include <cstdint>
#include <functional>
#include <string>

#include "csv/csv_options.hpp"
#include "csv/encoding.hpp"
#include "store/object_store.hpp"
#include "transform/column_plan.hpp"

namespace gdx::jobs {

struct TransformSpec {
    csv::Encoding encoding;
    csv::CsvOptions csv;
    bool has_header = true;
    transform::ColumnPlan plan;
};

struct TransformStats {
    uint64_t bytes_in = 0;      // raw object bytes read
    uint64_t rows = 0;          // data rows written to the batch
    bool no_columns = false;    // nothing but blank lines: no header, no rows
    uint64_t surplus_rows = 0;  // rows with more fields than column_count (extras dropped)
    uint64_t first_surplus_line = 0;
    std::string header_mismatch;  // non-empty when the file's header differs from `columns`
};

// Called now and then with (raw bytes read so far, rows so far).
using ProgressFn = std::function<void(uint64_t, uint64_t)>;

// Writes the batch (header + rows) to `out` without committing it. Throws DataError for bad
// data (with line, column and value), BackendError for store failures.
TransformStats transform_object(const TransformSpec& spec, store::ObjectReader& in,
                                store::ObjectWriter& out, const ProgressFn& progress = {});

}  // namespace gdx::jobs
