#include "warehouse/sql/key_constraints.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "warehouse/sql/names.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse::sql {
namespace {

struct Span {
    size_t begin;  // significant token indices, inclusive
    size_t end;
};

enum class Key { None, Primary, Unique, Foreign, References };

class KeyDropper {
public:
    KeyDropper(std::string_view statement, Dialect dialect) : ed_(statement), dialect_(dialect) {}

    std::optional<UnenforcedKeys> run() {
        const size_t name = create_table_name(ed_);
        if (name == 0) return std::nullopt;
        size_t open = name + 1;
        if (ed_.has(name + 2) && ed_.at(name + 1).is_punct('.')) open = name + 3;
        if (!ed_.has(open) || !ed_.at(open).is_punct('(')) return std::nullopt;  // AS, LIKE …
        const size_t close = ed_.matching_paren(open);
        if (close == ed_.size()) return std::nullopt;
        table_ = std::string(ed_.text(name, open - 1));
        table_base_ = identifier_value(ed_.at(open - 1));
        if (dialect_ == Dialect::SQLite && open - 1 != name)
            table_base_ = identifier_value(ed_.at(name)) + "." + table_base_;

        const std::vector<Span> elements = split_elements(open, close);
        // A table-level PRIMARY KEY makes its columns NOT NULL, wherever they are declared.
        for (const Span& e : elements) {
            const size_t k = after_constraint_name(e.begin, e.end);
            if (key_at(k, e.end) == Key::Primary) {
                for (size_t c : name_list(k + 2, e.end)) primary_.push_back(column_id(c));
            }
        }
        bool kept_before = false;
        for (size_t i = 0; i < elements.size(); ++i) {
            const Span& e = elements[i];
            if (table_constraint(e, kept_before, i + 1 < elements.size())) continue;
            column_definition(e);
            kept_before = true;
        }
        if (out_.dropped.empty()) return std::nullopt;
        out_.create_table = ed_.render();
        return std::move(out_);
    }

private:
    std::vector<Span> split_elements(size_t open, size_t close) const {
        std::vector<Span> out;
        size_t begin = open + 1;
        int depth = 0;
        for (size_t k = open + 1; k <= close; ++k) {
            const Token& t = ed_.at(k);
            if (k == close || (depth == 0 && t.is_punct(','))) {
                if (k > begin) out.push_back({begin, k - 1});
                begin = k + 1;
            } else if (t.is_punct('(')) {
                ++depth;
            } else if (t.is_punct(')')) {
                --depth;
            }
        }
        return out;
    }

    // Index after an optional `CONSTRAINT name` at k.
    size_t after_constraint_name(size_t k, size_t end) const {
        return k + 2 <= end && ed_.at(k).is("CONSTRAINT") && is_name(ed_.at(k + 1)) ? k + 2 : k;
    }

    Key key_at(size_t k, size_t end) const {
        if (k > end) return Key::None;
        const bool key_next = k + 1 <= end && ed_.at(k + 1).is("KEY");
        if (ed_.at(k).is("PRIMARY") && key_next) return Key::Primary;
        if (ed_.at(k).is("FOREIGN") && key_next) return Key::Foreign;
        if (ed_.at(k).is("UNIQUE")) return Key::Unique;
        if (ed_.at(k).is("REFERENCES")) return Key::References;
        return Key::None;
    }

    // Token indices of the names in the parenthesised list at `open` (none when no list).
    std::vector<size_t> name_list(size_t open, size_t end) const {
        std::vector<size_t> out;
        if (open > end || !ed_.at(open).is_punct('(')) return out;
        for (size_t k = open + 1; k <= end && !ed_.at(k).is_punct(')'); ++k) {
            if (is_name(ed_.at(k))) out.push_back(k);
        }
        return out;
    }

    std::string column_id(size_t k) const { return identifier_value(ed_.at(k)); }

    // A whole element that is a key constraint: removed with one comma next to it.
    bool table_constraint(const Span& e, bool kept_before, bool more_after) {
        const size_t k = after_constraint_name(e.begin, e.end);
        const Key key = key_at(k, e.end);
        if (key == Key::None || key == Key::References) return false;
        if (key != Key::Foreign) {
            const size_t list = key == Key::Primary ? k + 2 : k + 1;
            std::vector<size_t> columns = name_list(list, e.end);
            if (!columns.empty()) add_index(columns);
        }
        out_.dropped.push_back(one_line(ed_.text(k, e.end)));
        if (kept_before) {
            ed_.remove(e.begin - 1, e.end);  // the comma before it
        } else if (more_after) {
            ed_.remove(e.begin, e.end + 1);  // the comma after it
        } else {
            ed_.remove(e.begin, e.end);
        }
        return true;
    }

    // Column-level PRIMARY KEY, UNIQUE and REFERENCES of one column definition.
    void column_definition(const Span& e) {
        if (!is_name(ed_.at(e.begin))) return;
        const std::string column = column_id(e.begin);
        bool not_null = false;
        for (size_t k = e.begin + 1; k < e.end; ++k) {
            if (ed_.at(k).is("NOT") && ed_.at(k + 1).is("NULL")) not_null = true;
        }
        bool primary = std::find(primary_.begin(), primary_.end(), column) != primary_.end();
        bool indexed = false;
        for (size_t k = e.begin + 1; k <= e.end; ++k) {
            if (ed_.at(k).is_punct('(')) {
                k = std::min(ed_.matching_paren(k), e.end);
                continue;
            }
            const size_t at = after_constraint_name(k, e.end);
            const Key key = key_at(at, e.end);
            if (key == Key::None || key == Key::Foreign) continue;
            size_t last = at;
            if (key == Key::Primary) last = at + 1;
            if (key == Key::References) last = references_end(at, e.end);
            out_.dropped.push_back(column + " " + one_line(ed_.text(at, last)));
            if (key == Key::Primary && !not_null) {
                ed_.replace(k, last, "NOT NULL");
                not_null = true;
            } else {
                ed_.remove(k, last);
            }
            if (key == Key::Primary) primary = true;
            if (key != Key::References && !indexed) {
                add_index({e.begin});
                indexed = true;
            }
            k = last;
        }
        if (primary && !not_null) ed_.insert_before(e.end + 1, " NOT NULL");
    }

    // Last token of `REFERENCES table [(columns)]` and PostgreSQL's trailing options.
    size_t references_end(size_t k, size_t end) const {
        size_t last = k;
        if (last + 1 <= end && is_name(ed_.at(last + 1))) ++last;
        if (last + 2 <= end && ed_.at(last + 1).is_punct('.') && is_name(ed_.at(last + 2)))
            last += 2;
        if (last + 1 <= end && ed_.at(last + 1).is_punct('(')) {
            last = std::min(ed_.matching_paren(last + 1), end);
        }
        for (;;) {
            auto is = [&](size_t j, std::string_view w) { return j <= end && ed_.at(j).is(w); };
            if (is(last + 1, "MATCH") && last + 2 <= end) {
                last += 2;
            } else if (is(last + 1, "ON") && (is(last + 2, "DELETE") || is(last + 2, "UPDATE"))) {
                last += 2;
                if (is(last + 1, "NO") || is(last + 1, "SET")) ++last;
                if (last + 1 <= end) ++last;  // CASCADE, RESTRICT, ACTION, NULL, DEFAULT
            } else if (is(last + 1, "NOT") && is(last + 2, "DEFERRABLE")) {
                last += 2;
            } else if (is(last + 1, "DEFERRABLE")) {
                ++last;
            } else if (is(last + 1, "INITIALLY") && last + 2 <= end) {
                last += 2;
            } else {
                return last;
            }
        }
    }

    void add_index(const std::vector<size_t>& columns) {
        std::string name = table_base_, list;
        for (size_t c : columns) {
            name += "_" + column_id(c);
            if (!list.empty()) list += ", ";
            list += ed_.at(c).text;
        }
        name += "_idx";
        const std::string index = fmt::format("CREATE INDEX IF NOT EXISTS {} ON {} ({})",
                                              quote_identifier(name), table_, list);
        if (std::find(out_.indexes.begin(), out_.indexes.end(), index) == out_.indexes.end())
            out_.indexes.push_back(index);
    }

    StatementEditor ed_;
    Dialect dialect_;
    std::string table_;                 // as written, e.g. servicebc.calls
    std::string table_base_;            // for index names: calls (SQLite: servicebc.calls)
    std::vector<std::string> primary_;  // columns of a table-level PRIMARY KEY
    UnenforcedKeys out_;
};

}  // namespace

std::optional<UnenforcedKeys> drop_key_constraints(std::string_view statement, Dialect dialect) {
    return KeyDropper(statement, dialect).run();
}

}  // namespace gdx::warehouse::sql
