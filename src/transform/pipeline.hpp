#pragma once
// Executes a compiled ColumnPlan on parsed rows and writes batch rows. The hot loop: one pass
// over the output columns per row, no allocation except when an edit must build a new value.
#include <cstdint>
#include <string>

#include "csv/batch_writer.hpp"
#include "csv/csv_reader.hpp"
#include "transform/column_plan.hpp"

namespace gdx::transform {

class RowTransformer {
  public:
    explicit RowTransformer(const ColumnPlan& plan);

    // Transforms one data row (already split into fields) into one batch row.
    // Throws DataError naming the line, column and value of the first bad cell.
    void write_row(const csv::Row& row, csv::BatchWriter& out);

    uint64_t surplus_rows() const { return surplus_rows_; }
    uint64_t first_surplus_line() const { return first_surplus_line_; }

  private:
    void write_cell(const ColumnProgram& p, const csv::Row& row, csv::BatchWriter& out);
    [[noreturn]] void fail(const ColumnProgram& p, const csv::Row& row, std::string what,
                           std::string_view value) const;

    const ColumnPlan& plan_;
    size_t column_count_;
    uint64_t surplus_rows_ = 0;
    uint64_t first_surplus_line_ = 0;
    std::string replace_buf_;
    std::string int_buf_;
    char date_buf_[64];
};

}  // namespace gdx::transform
