#include "transform/pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "transform/iso8601.hpp"
#include "util/error.hpp"

namespace gdx::transform {
RowTransformer::RowTransformer(const ColumnPlan& plan)
    : plan_(plan), column_count_(plan.input_columns.size()) {
    for (const ColumnProgram& p : plan.outputs) cells_.push_back(plan_cell(p));
}

// The type check a value still needs after the column's edits.
RowTransformer::Check RowTransformer::check_for(const ColumnProgram& p) {
    if (!p.target) return Check::None;
    switch (p.target->kind) {
        case types::TypeKind::Text:
            return p.target->length >= 0 ? Check::MaxBytes : Check::None;
        case types::TypeKind::Other:
            return Check::None;
        case types::TypeKind::Real:
        case types::TypeKind::Double:
            return Check::Float;
        case types::TypeKind::Boolean:
            return Check::Bool;
        case types::TypeKind::BigInt:
            // canonical_int64 only yields int64 decimals
            return p.to_int ? Check::None : Check::Full;
        default:
            return Check::Full;
    }
}

// The fast path handles an input field with at most one of the simple edits and no replace or
// date; Date when the date comes straight from its field in a layout iso_date_fast takes.
RowTransformer::Edit RowTransformer::edit_for(const ColumnProgram& p, bool iso_target) {
    const int edits = p.check_bool + p.check_float + p.to_int + (p.byte_limit >= 0);
    const bool direct = p.source >= 0 && p.replace.empty();
    if (direct && !p.date && !p.iso_to_format && edits <= 1)
        return p.check_bool    ? Edit::Bool
               : p.check_float ? Edit::Float
               : p.to_int      ? Edit::Int
               : edits         ? Edit::Limit
                               : Edit::None;
    if (iso_target && direct && edits == 0 && p.date->has_iso_date_fast()) return Edit::Date;
    return Edit::General;
}

RowTransformer::Cell RowTransformer::plan_cell(const ColumnProgram& p) const {
    // The int cast is the only edit after the date; without it the cell ends as the
    // format_iso output. date_only is set exactly for DATE targets, so DATE gets
    // "YYYY-MM-DD" and the timestamp kinds get "YYYY-MM-DD HH:MM:SS…", both of which
    // check_value accepts whenever iso_is_valid_literal says so (strptime.hpp).
    const bool iso_target =
        p.date && !p.to_int && p.target &&
        (p.target->kind == types::TypeKind::Date || p.target->kind == types::TypeKind::Timestamp ||
         p.target->kind == types::TypeKind::TimestampTz);
    const Check check = check_for(p);
    const Edit edit = edit_for(p, iso_target);
    Cell c{.program = &p,
           .source = edit == Edit::General ? 0 : static_cast<size_t>(p.source),
           .max_bytes = check == Check::MaxBytes ? static_cast<size_t>(p.target->length) : 0,
           .byte_limit = edit == Edit::Limit ? static_cast<size_t>(p.byte_limit) : 0,
           .iso_length = edit != Edit::Date ? 0u
                         : p.date_only      ? 10u
                                            : 19u,
           .fits = 0,
           .check = check,
           .edit = edit,
           .quick = Quick::None,
           .path = Path::General,
           // Missing loads as '' here, and a non-missing "" passes the edit and the check
           // unchanged too (text targets check only the length).
           .empty_unchanged = (edit == Edit::None || edit == Edit::Limit) && !p.missing_is_null(),
           .iso_target = iso_target,
           .missing = &plan_.missing_tokens(p)};
    c.quick = quick_for(c);
    c.path = path_for(c);
    if (c.path == Path::Text) {
        c.fits = c.edit == Edit::Limit ? c.byte_limit : SIZE_MAX;
        if (c.check == Check::MaxBytes) c.fits = std::min(c.fits, c.max_bytes);
    }
    return c;
}

RowTransformer::Path RowTransformer::path_for(const Cell& c) {
    switch (c.edit) {
        case Edit::General:
            return Path::General;
        case Edit::Date:
            return c.quick == Quick::Date ? Path::Date : Path::CheckedDate;
        case Edit::None:
        case Edit::Limit:
            // empty_unchanged says: text target or none, so the check is at most a length.
            if (c.empty_unchanged && (c.check == Check::None || c.check == Check::MaxBytes))
                return Path::Text;
            break;
        case Edit::Bool:
        case Edit::Int:
        case Edit::Float:
            break;
    }
    return c.quick != Quick::None ? Path::Shape : Path::Checked;
}

RowTransformer::Quick RowTransformer::quick_for(const Cell& c) const {
    Quick q = Quick::None;
    switch (c.edit) {
        case Edit::None:
            q = c.check == Check::Float  ? Quick::PlainDecimal
                : c.check == Check::Bool ? Quick::BoolWord
                                         : Quick::None;
            break;
        case Edit::Float:  // a plain decimal is float text
            if (c.check == Check::Float || c.check == Check::None) q = Quick::PlainDecimal;
            break;
        case Edit::Bool:  // a bool word is a pandas bool spelling
            if (c.check == Check::Bool || c.check == Check::None) q = Quick::BoolWord;
            break;
        case Edit::Int:
            if (c.check == Check::None) q = Quick::CanonicalInt;
            break;
        case Edit::Date:
            q = Quick::Date;
            break;
        case Edit::General:
        case Edit::Limit:
            break;
    }
    if (q == Quick::None) return q;
    const bool token_has_shape = c.missing->any_token([&](std::string_view t) {
        char iso[10];
        return q == Quick::Date ? c.program->date->iso_date_fast(t, iso) : quick_accept(q, t);
    });
    return token_has_shape ? Quick::None : q;
}

void RowTransformer::Run::write_each(std::string_view text, size_t fields, csv::BatchWriter& out) {
    if (fields == 1) return out.field(text);
    // Joined fields hold no '|' of their own: splitting at '|' gives them back.
    for (size_t cut; (cut = text.find('|')) != std::string_view::npos;) {
        out.field(text.substr(0, cut));
        text.remove_prefix(cut + 1);
    }
    out.field(text);
}

void RowTransformer::fail(const ColumnProgram& p, const csv::Row& row, std::string what,
                          std::string_view value) const {
    DataErrorInfo info;
    info.what = std::move(what);
    info.line = row.line();
    info.column = p.source >= 0 ? static_cast<uint32_t>(p.source + 1) : 0;
    info.column_name = p.name;
    info.value = shown_value(value);
    throw DataError(std::move(info));
}

void RowTransformer::check_slow(const ColumnProgram& p, const csv::Row& row,
                                std::string_view v) const {
    if (const char* why = types::check_value(*p.target, v))
        fail(p, row, fmt::format("{} (column type {})", why, p.target->declared), v);
}

void RowTransformer::write_row(const csv::Row& row, csv::BatchWriter& out) {
    const size_t fields = row.size();
    if (fields > column_count_ && surplus_rows_++ == 0) first_surplus_line_ = row.line();
    Run run;
    for (const Cell& c : cells_) {
        if (c.path != Path::General && c.source < fields) {
            const std::string_view v = row[c.source];
            bool unchanged = false;
            switch (c.path) {
                case Path::Text:
                    unchanged = v.size() <= c.fits && (v.empty() || !plan_.na.contains(v));
                    break;
                case Path::Shape:
                    unchanged = quick_accept<true>(c.quick, v);
                    break;
                case Path::Checked:
                    unchanged = passes_unchanged(c, row, v);
                    break;
                case Path::CheckedDate:
                    if (c.missing->contains(v)) break;
                    [[fallthrough]];
                case Path::Date:
                    if (c.program->date->iso_date_fast(v, iso_buf_)) {
                        run.flush(out);
                        out.field({iso_buf_, c.iso_length});  // a valid literal: no check
                        continue;
                    }
                    break;
                case Path::General:
                    break;
            }
            if (unchanged) {
                run.add(v, out);
                continue;
            }
        }
        run.flush(out);
        write_cell(c, row, out);
    }
    run.flush(out);
    out.end_row();
}

void RowTransformer::write_cell(const Cell& c, const csv::Row& row, csv::BatchWriter& out) {
    const ColumnProgram& p = *c.program;
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
    if (missing) return write_missing(p, row, out);
    // "-" in a column that is not text is NULL, unless a replace rule makes it a value.
    const bool marker = p.null_marker(v);
    if (marker && p.replace.empty()) return write_missing(p, row, out, v);

    if (!marker) {
        if (p.check_bool && !parse_pandas_bool(v)) fail(p, row, "not a boolean (True/False)", v);
        if (p.check_float && !is_float_text(v)) fail(p, row, "not a number", v);
    }
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
    if (p.null_marker(v)) return write_missing(p, row, out, v);
    if (p.date) {
        ParsedTime t;
        if (!p.date->parse(v, t))
            fail(p, row, "value does not match date format " + p.date_format, v);
        v = std::string_view(date_buf_, format_iso(t, p.date_only, date_buf_));
        if (c.iso_target && iso_is_valid_literal(t)) {
            out.field(v);  // known to load: no re-check of what format_iso just wrote
            return;
        }
    } else if (p.iso_to_format) {
        ParsedTime t;
        if (!parse_iso8601(v, t))
            fail(p, row, "value is not an ISO-8601 date (dateformat " + p.date_format + ")", v);
        p.iso_to_format->render(t, render_buf_);
        v = render_buf_;
    }
    if (p.to_int && !is_canonical_int64(v)) {  // an already canonical value passes unchanged
        std::string_view canonical;
        if (!canonical_int64(v, int_buf_, canonical)) fail(p, row, "not a 64-bit integer", v);
        v = canonical;
    }
    check(c, row, v);
    out.field(v);
}

void RowTransformer::write_missing(const ColumnProgram& p, const csv::Row& row,
                                   csv::BatchWriter& out, std::string_view value) {
    if (p.missing_is_null()) {
        if (p.target->not_null)
            fail(p, row,
                 fmt::format("missing value for NOT NULL column of type {}", p.target->declared),
                 value);
        out.null_field();
    } else {
        out.field({});
    }
}

}  // namespace gdx::transform
