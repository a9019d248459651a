#include "warehouse/sql/search_path.hpp"

#include <set>
#include <vector>

#include "warehouse/sql/names.hpp"
#include "warehouse/sql/statements.hpp"

namespace gdx::warehouse::sql {
std::optional<std::string> search_path_schema(std::string_view statement) {
    const StatementEditor ed(statement);
    if (ed.size() < 4 || !ed.at(0).is("SET") || !ed.at(1).is("SEARCH_PATH")) return std::nullopt;
    if (!ed.at(2).is("TO") && !ed.at(2).is_punct('=')) return std::nullopt;
    const Token& first = ed.at(3);
    std::string name;
    if (first.kind == TokenKind::String) {
        std::string_view body = first.text.substr(1, first.text.size() - 2);
        for (char c : body)
            name.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (is_name(first)) {
        name = identifier_value(first);
    } else {
        return std::nullopt;
    }
    return name;
}

std::string qualify_with_search_path(std::string_view statement, const std::string& schema) {
    StatementEditor ed(statement);
    std::set<std::string> ctes;
    for (size_t k = 1; k + 2 < ed.size(); ++k) {
        if (is_name(ed.at(k)) && (ed.at(k - 1).is("WITH") || ed.at(k - 1).is_punct(',')) &&
            ed.at(k + 1).is("AS") && ed.at(k + 2).is_punct('(')) {
            ctes.insert(identifier_value(ed.at(k)));
        }
    }
    FromListTracker from_list;
    for (size_t k = 0; k < ed.size(); ++k) {
        const Token& t = ed.at(k);
        if (from_list.step(t)) continue;
        if (!is_name(t) || k == 0) continue;
        const Token& prev = ed.at(k - 1);
        const bool next_dot = ed.has(k + 1) && ed.at(k + 1).is_punct('.');
        const bool next_paren = ed.has(k + 1) && ed.at(k + 1).is_punct('(');
        if (next_dot || prev.is_punct('.')) continue;
        size_t keyword = k - 1;
        // TABLE IF [NOT] EXISTS name
        if (prev.is("EXISTS") && k >= 3) {
            keyword = ed.at(k - 2).is("NOT") ? k - 4 : k - 3;
            if (keyword >= k || !ed.at(keyword + 1).is("IF")) continue;
        }
        const Token& kw = ed.at(keyword);
        const bool definition = kw.is("TABLE") || kw.is("INTO") || kw.is("UPDATE");
        const bool reference =
            (kw.is("FROM") || kw.is("JOIN") || (kw.is_punct(',') && from_list.in_from())) &&
            !next_paren;
        if (!definition && !reference) continue;
        if (t.kind == TokenKind::Word && (t.is("ONLY") || t.is("LATERAL") || t.is("IF"))) continue;
        if (ctes.count(identifier_value(t)) != 0) continue;
        ed.replace(k, k, quote_identifier(schema) + "." + std::string(t.text));
    }
    return ed.edited() ? ed.render() : std::string(statement);
}

}  // namespace gdx::warehouse::sql
