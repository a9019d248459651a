#include "jobs/transform_object.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "csv/batch_writer.hpp"
#include "csv/tab_to_space.hpp"
#include "jobs/outcome.hpp"
#include "transform/pipeline.hpp"
#include "util/crash_point.hpp"
#include "util/error.hpp"
#include "util/warnings.hpp"

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
    throw DataError(std::move(info), FailureStage::Parse);
}

}  // namespace

ObjectRows::ObjectRows(const TransformSpec& spec, store::ObjectReader& in, ProgressFn progress)
    : spec_(spec), progress_(std::move(progress)), raw_(in) {
    decoded_ = csv::make_decoder(raw_, spec.encoding,
                                 [this](uint64_t line) { stats_.first_nul_line = line; });
    csv::ByteSource* text = decoded_.get();
    if (spec.tabs_to_spaces) text = (cleaned_ = std::make_unique<csv::TabToSpace>(*text)).get();
    reader_ = std::make_unique<csv::CsvReader>(*text, spec.csv);
}

ObjectRows::~ObjectRows() = default;

bool ObjectRows::first_row(const csv::Row& row) {
    started_ = true;
    util::crash_point("mid_get");  // the object's first chunk is read, its GET still open
    const auto& columns = spec_.plan.input_columns;
    if (row.size() < columns.size())
        too_few_fields(row, columns.size(), spec_.has_header ? "header" : "first row");
    if (!spec_.has_header) return true;
    stats_.header_mismatch = header_difference(row, columns);
    return false;
}

bool ObjectRows::end() {
    stats_.no_columns = !started_;
    stats_.bytes_in = raw_.bytes;
    if (progress_) progress_(raw_.bytes, stats_.rows);
    return false;
}

void ObjectRows::report_progress() {
    if (stats_.rows == 2) {  // the first data row went through the transform
        util::crash_point("mid_transform");
        next_progress_ = kProgressRows;
        return;
    }
    next_progress_ += kProgressRows;
    if (progress_) progress_(raw_.bytes, stats_.rows);
}

TransformStats transform_object(const TransformSpec& spec, store::ObjectReader& in,
                                store::ObjectWriter& out, const ProgressFn& progress,
                                SourceLines* lines) {
    ObjectRows rows(spec, in, progress);
    csv::BatchWriter writer(out);
    transform::RowTransformer transformer(spec.plan);
    writer.header(spec.plan.batch_header);
    SourceLines unused;
    SourceLines& source_lines = lines ? *lines : unused;
    source_lines.clear();
    csv::Row row;
    while (rows.next(row)) {
        transformer.write_row(row, writer);
        source_lines.add(row.line());
    }
    writer.flush();
    TransformStats stats = rows.stats();
    stats.surplus_rows = transformer.surplus_rows();
    stats.first_surplus_line = transformer.first_surplus_line();
    return stats;
}

void log_data_notes(const std::string& key, const TransformStats& stats, size_t column_count) {
    if (!stats.header_mismatch.empty()) spdlog::info("{}: {}", key, stats.header_mismatch);
    if (stats.surplus_rows)
        util::warn(fmt::format(
            "{}: {} rows have more than {} fields (first at line {}); the extra fields were "
            "dropped",
            key, stats.surplus_rows, column_count, stats.first_surplus_line));
    if (stats.first_nul_line)
        util::warn(
            fmt::format("{}: line {}: NUL byte(s) replaced by spaces", key, stats.first_nul_line));
}

void reject_if_empty(const TransformStats& stats, bool empty_ok) {
    if (empty_ok || (!stats.no_columns && stats.rows > 0)) return;
    const char* why = stats.bytes_in == 0 ? "the object is empty (zero bytes)"
                      : stats.no_columns  ? "the object has no columns (only blank lines)"
                                          : "the object has a header but no data rows";
    throw ObjectRejected(Failure::simple(FailureStage::Empty, why), true);
}

}  // namespace gdx::jobs
