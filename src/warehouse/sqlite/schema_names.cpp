#include "warehouse/sqlite/schema_names.hpp"

#include <vector>

#include "warehouse/sql/names.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse::sqlite {

using sql::FromListTracker;
using sql::is_name;
using sql::StatementEditor;
using sql::Token;
using sql::TokenKind;

namespace {

// Words that can follow a table reference but are not an alias.
bool ends_table_reference(const Token& t) {
    static constexpr std::string_view kWords[] = {
        "WHERE",     "SET",     "ON",        "USING",   "JOIN",   "LEFT",   "RIGHT",  "INNER",
        "OUTER",     "FULL",    "CROSS",     "NATURAL", "GROUP",  "ORDER",  "LIMIT",  "OFFSET",
        "UNION",     "EXCEPT",  "INTERSECT", "HAVING",  "WINDOW", "VALUES", "SELECT", "DEFAULT",
        "RETURNING", "INDEXED", "NOT",       "WITH",    "FETCH",  "DO",     "AS"};
    return t.is_any(kWords);
}

}  // namespace

std::string storage_table_name(std::string_view name) {
    const StatementEditor ed(name);
    std::string out;
    for (size_t k = 0; k < ed.size(); ++k) {
        const Token& t = ed.at(k);
        out += is_name(t) ? sql::identifier_value(t) : std::string(t.text);
    }
    return out;
}

std::string qualify_schema_names(std::string_view statement, const std::set<std::string>& schemas) {
    StatementEditor ed(statement);
    const bool alter_table = ed.size() > 1 && ed.at(0).is("ALTER") && ed.at(1).is("TABLE");
    std::string altered_schema;
    FromListTracker from_list;
    for (size_t k = 0; k < ed.size(); ++k) {
        const Token& t = ed.at(k);
        if (from_list.step(t)) continue;
        if (alter_table && !altered_schema.empty() && t.is("RENAME") && ed.has(k + 2) &&
            ed.at(k + 1).is("TO") && is_name(ed.at(k + 2))) {
            ed.replace(
                k + 2, k + 2,
                quote_identifier(altered_schema + "." + sql::identifier_value(ed.at(k + 2))));
            k += 2;
            continue;
        }
        if (!is_name(t) || !ed.has(k + 2) || !ed.at(k + 1).is_punct('.') ||
            !is_name(ed.at(k + 2))) {
            continue;
        }
        if (k > 0 && ed.at(k - 1).is_punct('.')) continue;
        const std::string schema = sql::identifier_value(t);
        if (schemas.count(schema) == 0) continue;
        const std::string table = sql::identifier_value(ed.at(k + 2));
        if (ed.has(k + 4) && ed.at(k + 3).is_punct('.') && is_name(ed.at(k + 4))) {
            ed.replace(k, k + 2, quote_identifier(table));  // s.t.col → "t".col
            k += 4;
            continue;
        }
        std::string replacement = quote_identifier(schema + "." + table);
        const Token* prev = k > 0 ? &ed.at(k - 1) : nullptr;
        const bool table_reference =
            prev != nullptr && (prev->is("FROM") || prev->is("JOIN") || prev->is("UPDATE") ||
                                prev->is("INTO") || (prev->is_punct(',') && from_list.in_from()));
        const bool has_alias =
            ed.has(k + 3) && (ed.at(k + 3).is("AS") ||
                              (is_name(ed.at(k + 3)) && !ends_table_reference(ed.at(k + 3))));
        if (table_reference && !has_alias) replacement += " AS " + quote_identifier(table);
        if (alter_table && altered_schema.empty()) altered_schema = schema;
        ed.replace(k, k + 2, std::move(replacement));
        k += 2;
    }
    return ed.edited() ? ed.render() : std::string(statement);
}

}  // namespace gdx::warehouse::sqlite
