#include "transform/pipeline.hpp"

#include <fmt/format.h>

#include "types/value_check.hpp"
#include "util/error.hpp"

namespace gdx::transform {
namespace {
constexpr size_t kMaxShownValue = 200;  // sidecars show at most this many bytes of a value

std::string shown(std::string_view v) {
    if (v.size() <= kMaxShownValue) return std::string(v);
    return std::string(v.substr(0, utf8_prefix_bytes(v, kMaxShownValue))) + "…";
}
}  // namespace

RowTransformer::RowTransformer(const ColumnPlan& plan)
    : plan_(plan), column_count_(plan.input_columns.size()) {}

void RowTransformer::fail(const ColumnProgram& p, const csv::Row& row, std::string what,
                          std::string_view value) const {
    DataErrorInfo info;
    info.what = std::move(what);
    info.line = row.line();
    info.column = p.source >= 0 ? static_cast<uint32_t>(p.source + 1) : 0;
    info.column_name = p.name;
    info.value = shown(value);
    throw DataError(std::move(info));
}

void RowTransformer::write_row(const csv::Row& row, csv::BatchWriter& out) {
    if (row.size() > column_count_ && surplus_rows_++ == 0) first_surplus_line_ = row.line();
    for (const ColumnProgram& p : plan_.outputs) write_cell(p, row, out);
    out.end_row();
}

void RowTransformer::write_cell(const ColumnProgram& p, const csv::Row& row,
                                csv::BatchWriter& out) {
    std::string_view v;
    bool missing;
    if (p.source >= 0) {
        // Rows shorter than column_count are padded with missing values (pandas).
        missing = static_cast<size_t>(p.source) >= row.size();
        if (!missing) {
            v = row[static_cast<size_t>(p.source)];
            missing = plan_.na.contains(v);
        }
    } else {
        missing = !p.constant.has_value();
        if (!missing) v = *p.constant;
    }

    if (!missing) {
        if (p.check_bool && !parse_pandas_bool(v)) fail(p, row, "not a boolean (True/False)", v);
        if (p.check_float && !is_float_text(v)) fail(p, row, "not a number", v);
        if (p.byte_limit >= 0 && v.size() > static_cast<size_t>(p.byte_limit))
            v = v.substr(0, utf8_prefix_bytes(v, static_cast<size_t>(p.byte_limit)));
        for (const ReplaceRule& r : p.replace) {
            if (r.regex) {
                replace_buf_ = r.regex->sub(v, r.new_value);
                v = replace_buf_;
            } else if (v == r.old_value) {
                v = r.new_value;
            }
        }
        if (p.date) {
            ParsedTime t;
            if (!p.date->parse(v, t))
                fail(p, row, "value does not match date format " + p.date_format, v);
            v = std::string_view(date_buf_, format_iso(t, p.date_only, date_buf_));
        }
        if (p.to_int) {
            std::string_view canonical;
            if (!canonical_int64(v, int_buf_, canonical)) fail(p, row, "not a 64-bit integer", v);
            v = canonical;
        }
        if (p.target) {
            if (const char* why = types::check_value(*p.target, v))
                fail(p, row, fmt::format("{} (column type {})", why, p.target->declared), v);
        }
        out.field(v);
        return;
    }
    if (p.missing_is_null()) {
        if (p.target->not_null)
            fail(p, row,
                 fmt::format("missing value for NOT NULL column of type {}", p.target->declared),
                 "");
        out.null_field();
    } else {
        out.field({});
    }
}

}  // namespace gdx::transform
