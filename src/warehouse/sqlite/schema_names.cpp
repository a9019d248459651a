#include "warehouse/sqlite/schema_names.hpp"

#include <vector>

#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse::sqlite {

using sql::StatementEditor;
using sql::Token;
using sql::TokenKind;

namespace {

bool is_name(const Token& t) {
    return t.kind == TokenKind::Word || t.kind == TokenKind::QuotedIdent;
}

// Words that can follow a table reference but are not an alias.
bool ends_table_reference(const Token& t) {
    static constexpr std::string_view kWords[] = {
        "WHERE",     "SET",     "ON",        "USING",   "JOIN",   "LEFT",   "RIGHT",  "INNER",
        "OUTER",     "FULL",    "CROSS",     "NATURAL", "GROUP",  "ORDER",  "LIMIT",  "OFFSET",
        "UNION",     "EXCEPT",  "INTERSECT", "HAVING",  "WINDOW", "VALUES", "SELECT", "DEFAULT",
        "RETURNING", "INDEXED", "NOT",       "WITH",    "FETCH",  "DO",     "AS"};
    for (std::string_view w : kWords) {
        if (t.is(w)) return true;
    }
    return false;
}

// Words that end a FROM list at the current parenthesis depth.
bool ends_from_list(const Token& t) {
    static constexpr std::string_view kWords[] = {
        "WHERE", "GROUP",  "ORDER",     "HAVING", "LIMIT",  "ON",     "USING",    "SET",
        "UNION", "EXCEPT", "INTERSECT", "WINDOW", "SELECT", "VALUES", "RETURNING"};
    for (std::string_view w : kWords) {
        if (t.is(w)) return true;
    }
    return false;
}

}  // namespace

std::string quote_identifier(std::string_view name) {
    std::string out = "\"";
    for (char c : name) {
        out.push_back(c);
        if (c == '"') out.push_back('"');
    }
    out.push_back('"');
    return out;
}

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
    std::vector<bool> in_from(1, false);  // per parenthesis depth
    for (size_t k = 0; k < ed.size(); ++k) {
        const Token& t = ed.at(k);
        if (t.is_punct('(')) {
            in_from.push_back(false);
            continue;
        }
        if (t.is_punct(')')) {
            if (in_from.size() > 1) in_from.pop_back();
            continue;
        }
        if (t.is("FROM") || t.is("JOIN")) {
            in_from.back() = true;
        } else if (ends_from_list(t)) {
            in_from.back() = false;
        }
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
                                prev->is("INTO") || (prev->is_punct(',') && in_from.back()));
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
