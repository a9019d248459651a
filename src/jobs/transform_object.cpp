#include "jobs/transform_object.hpp"

#include <fmt/format.h>

#include "csv/batch_writer.hpp"
#include "csv/byte_source.hpp"
#include "csv/csv_reader.hpp"
#include "transform/pipeline.hpp"
#include "util/error.hpp"

namespace gdx::jobs {
namespace {

std::string header_difference(const csv::Row& header, const std::vector<std::string>& columns) {
    std::vector<std::string> found;
    bool differs = false;
    for (size_t i = 0; i < columns.size(); ++i) {
        found.emplace_back(header[i]);
        if (found.back() != columns[i]) differs = true;
    }
    if (!differs) return {};
    return fmt::format(
        "header [{}] differs from the configured columns [{}]; columns are taken by position",
        fmt::join(found, ", "), fmt::join(columns, ", "));
}

[[noreturn]] void too_few_fields(const csv::Row& row, size_t expected, const char* what) {
    DataErrorInfo info;
    info.what =
        fmt::format("the {} has {} fields but column_count is {}", what, row.size(), expected);
    info.line = row.line();
    info.column = static_cast<uint32_t>(row.size() + 1);
    throw DataError(std::move(info));
}

}  // namespace

TransformStats transform_object(const TransformSpec& spec, store::ObjectReader& in,
                                store::ObjectWriter& out, const ProgressFn& progress) {
    TransformStats stats;
    csv::CountingSource raw(in);
    auto decoded = csv::make_decoder(raw, spec.encoding);
    csv::CsvReader reader(*decoded, spec.csv);
    csv::BatchWriter writer(out);
    transform::RowTransformer transformer(spec.plan);
    const size_t column_count = spec.plan.input_columns.size();

    writer.header(spec.plan.batch_header);
    csv::Row row;
    bool first = true;
    uint64_t next_progress = 1 << 16;
    while (reader.next(row)) {
        if (first) {
            first = false;
            if (row.size() < column_count)
                too_few_fields(row, column_count, spec.has_header ? "header" : "first row");
            if (spec.has_header) {
                stats.header_mismatch = header_difference(row, spec.plan.input_columns);
                continue;
            }
        }
        transformer.write_row(row, writer);
        if (++stats.rows == next_progress && progress) {
            next_progress += 1 << 16;
            progress(raw.bytes, stats.rows);
        }
    }
    writer.flush();
    stats.no_columns = first;
    stats.bytes_in = raw.bytes;
    stats.surplus_rows = transformer.surplus_rows();
    stats.first_surplus_line = transformer.first_surplus_line();
    if (progress) progress(raw.bytes, stats.rows);
    return stats;
}

}  // namespace gdx::jobs
