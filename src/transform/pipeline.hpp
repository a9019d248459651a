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
    // The one edit a cell's fast path tests; General: always take write_cell.
    enum class Edit : uint8_t {
        General,  // a constant, several edits, a replace or a date: write_cell
        None,     // an input field with no edits
        Limit,    // column_string_limit only: unchanged when it fits
        Bool,     // dtype_dic_bools only: unchanged when a pandas bool spelling
        Int,      // dtype_dic_ints only: unchanged when already canonical
        Float,    // dtype_dic_floats only: unchanged when float text
        Date,     // dateformat only, of a layout iso_date_fast takes, into DATE/TIMESTAMP[TZ]
    };
    // A shape test that, when it holds, proves the cell passes unchanged (or, for dates,
    // takes iso_date_fast): the value is no NA token (no configured token has the shape,
    // checked once), the edit keeps it and the type check accepts it. It runs before the NA
    // test, which it saves for the common values.
    enum class Quick : uint8_t {
        None,
        PlainDecimal,  // types::is_plain_decimal: REAL/DOUBLE (and dtype_dic_floats)
        BoolWord,      // True/False/true/false: BOOLEAN (and dtype_dic_bools)
        CanonicalInt,  // is_canonical_int64: dtype_dic_ints into BIGINT
        Date,          // Edit::Date: iso_date_fast
    };
    // The one branch write_row takes per cell, decided once per column. Each fast path
    // tests only what proves the cell's value (its input field unchanged, or the ISO date);
    // when that test fails, write_cell applies every rule.
    enum class Path : uint8_t {
        General,      // write_cell
        Text,         // text target or none, no edit but a limit: unchanged when not NA and
                      // at most `fits` bytes ("" loads as '' either way)
        Shape,        // `quick` holds: unchanged
        Checked,      // passes_unchanged: NA test, the edit's precondition, the type check
        Date,         // `quick` is Date: iso_date_fast
        CheckedDate,  // NA test, then iso_date_fast
    };
    // A ColumnProgram reduced to what the per-cell loop branches on.
    struct Cell {
        const ColumnProgram* program;
        size_t source;      // input field index (unless Edit::General)
        size_t max_bytes;   // Check::MaxBytes
        size_t byte_limit;  // Edit::Limit
        size_t iso_length;  // Edit::Date: 10 (DATE) or 19 (with the " 00:00:00" of iso_buf_)
        size_t fits;        // Path::Text: the smaller of byte_limit and max_bytes
        Check check;
        Edit edit;
        Quick quick;
        Path path;
        // An empty field loads as '' whether or not it is an NA token (text target or none,
        // and no edit that could reject it): it passes unchanged without the NA test.
        bool empty_unchanged;
        // A dateformat column into DATE/TIMESTAMP/TIMESTAMPTZ with no edit after the date:
        // the format_iso output needs no check_value when iso_is_valid_literal holds.
        bool iso_target;
        // ColumnPlan::missing_tokens: the NA tokens, plus "-" unless the target is text.
        const NaTokens* missing = nullptr;
    };

    // Consecutive cells that pass their input field unchanged are not written one by one:
    // when the fields lie side by side in the reader's buffer with '|' between them (a
    // '|'-delimited source), the whole stretch is one copy into the batch.
    class Run {
    public:
        void add(std::string_view v, csv::BatchWriter& out) {
            // *end_ is readable: the field's terminator in the reader's buffer, or the NUL
            // after an arena string. Two fields with '|' between that touch it can only be
            // unquoted fields of a '|'-delimited row, so they hold no '|' of their own.
            if (fields_ != 0 && v.data() == end_ + 1 && *end_ == '|') {
                end_ = v.data() + v.size();
                ++fields_;
                return;
            }
            flush(out);
            begin_ = v.data();
            end_ = v.data() + v.size();
            fields_ = 1;
        }
        void flush(csv::BatchWriter& out) {
            if (fields_ == 0) return;
            const std::string_view text(begin_, static_cast<size_t>(end_ - begin_));
            if (fields_ == 1 || !out.joined_fields(text)) write_each(text, fields_, out);
            fields_ = 0;
        }

    private:
        static void write_each(std::string_view text, size_t fields, csv::BatchWriter& out);
        const char* begin_ = nullptr;
        const char* end_ = nullptr;
        size_t fields_ = 0;
    };

    // True when the cell's value is its input field `v` unchanged (NA test, the edit's
    // precondition, the type check; throws when the check rejects it). False: write_cell.
    bool passes_unchanged(const Cell& c, const csv::Row& row, std::string_view v) const {
        if (v.empty() && c.empty_unchanged) return true;
        if (c.missing->contains(v)) return false;
        switch (c.edit) {
            case Edit::General:
            case Edit::Date:
                return false;
            case Edit::None:
                break;
            case Edit::Limit:
                if (v.size() > c.byte_limit) return false;
                break;
            case Edit::Bool:
                if (!is_pandas_bool(v)) return false;
                break;
            case Edit::Int:
                if (!is_canonical_int64(v)) return false;
                break;
            case Edit::Float:
                if (!types::is_plain_decimal(v) && !is_float_text(v)) return false;
                break;
        }
        check(c, row, v);
        return true;
    }
    static bool is_bool_word(std::string_view v) {
        return v == "True" || v == "False" || v == "true" || v == "false";
    }
    // kRowField: v is a csv::Row field, so the 16-byte decimal test may read past its end.
    template <bool kRowField = false>
    static bool quick_accept(Quick q, std::string_view v) {
        switch (q) {
            case Quick::PlainDecimal:
                return kRowField ? types::is_plain_decimal_16(v) : types::is_plain_decimal(v);
            case Quick::BoolWord:
                return is_bool_word(v);
            case Quick::CanonicalInt:
                return is_canonical_int64(v);
            case Quick::None:
            case Quick::Date:
                break;
        }
        return false;
    }
    // The Quick a cell may use (None when some NA token has that shape).
    Cell plan_cell(const ColumnProgram& p) const;  // once per output column
    static Check check_for(const ColumnProgram& p);
    static Edit edit_for(const ColumnProgram& p, bool iso_target);
    Quick quick_for(const Cell& c) const;
    static Path path_for(const Cell& c);

    void write_cell(const Cell& c, const csv::Row& row, csv::BatchWriter& out);
    // `value`: the field's text, for the message when a NOT NULL column rejects it.
    void write_missing(const ColumnProgram& p, const csv::Row& row, csv::BatchWriter& out,
                       std::string_view value = {});
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
                if (!is_bool_word(v)) check_slow(*c.program, row, v);
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
    std::string render_buf_;  // a cmslite date written with its format
    char date_buf_[64];
    // Edit::Date writes the date to [0, 10); the time of day of a date-only format stays.
    char iso_buf_[20] = "0000-00-00 00:00:00";
};

}  // namespace gdx::transform
