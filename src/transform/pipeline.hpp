#pragma once
// Executes a compiled ColumnPlan on parsed rows and writes batch rows. The hot loop: one pass
// over the output columns per row, no allocation except when an edit must build a new value.
#include <cstdint>
#include <string>
#include <vector>

#include "csv/batch_writer.hpp"
#include "csv/csv_reader.hpp"
#include "transform/column_plan.hpp"
#include "types/value_check.hpp"

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
    // How the target type's acceptance check runs, decided once per column.
    enum class Check : uint8_t {
        None,      // no target, a type that takes any text, or a value already known to fit
        MaxBytes,  // VARCHAR(n): a length compare
        Float,     // REAL, DOUBLE PRECISION: types::is_plain_decimal, else check_value
        Bool,      // BOOLEAN: True/False/true/false, else check_value
        Full,      // types::check_value
    };
    // A ColumnProgram reduced to what the per-cell loop branches on.
    struct Cell {
        const ColumnProgram* program;
        size_t source;     // input field index (when `copy`)
        size_t max_bytes;  // Check::MaxBytes
        Check check;
        bool copy;  // an input field with no edits: NA test, check, write
        // A dateformat column into DATE/TIMESTAMP/TIMESTAMPTZ with no edit after the date:
        // the format_iso output needs no check_value when iso_is_valid_literal holds.
        bool iso_target;
    };

    void write_cell(const Cell& c, const csv::Row& row, csv::BatchWriter& out);
    void write_missing(const ColumnProgram& p, const csv::Row& row, csv::BatchWriter& out);
    void check(const Cell& c, const csv::Row& row, std::string_view v) const {
        switch (c.check) {
            case Check::None:
                return;
            case Check::MaxBytes:
                if (v.size() > c.max_bytes) check_slow(*c.program, row, v);
                return;
            case Check::Float:
                if (!types::is_plain_decimal(v)) check_slow(*c.program, row, v);
                return;
            case Check::Bool:
                if (v != "True" && v != "False" && v != "true" && v != "false")
                    check_slow(*c.program, row, v);
                return;
            case Check::Full:
                check_slow(*c.program, row, v);
                return;
        }
    }
    void check_slow(const ColumnProgram& p, const csv::Row& row, std::string_view v) const;
    [[noreturn]] void fail(const ColumnProgram& p, const csv::Row& row, std::string what,
                           std::string_view value) const;

    const ColumnPlan& plan_;
    size_t column_count_;
    std::vector<Cell> cells_;
    uint64_t surplus_rows_ = 0;
    uint64_t first_surplus_line_ = 0;
    std::string replace_buf_;
    std::string int_buf_;
    char date_buf_[64];
};

}  // namespace gdx::transform
