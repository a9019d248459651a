#include "export/dml_query.hpp"

#include <vector>

#include <fmt/format.h>

#include "util/error.hpp"
#include "warehouse/sql/tokenizer.hpp"

namespace gdx::exports {

namespace sql = warehouse::sql;

std::string decode_unload_literal(std::string_view dml, const std::string& source) {
    std::string out;
    out.reserve(dml.size());
    for (size_t i = 0; i < dml.size(); ++i) {
        const char c = dml[i];
        if (c == '\'') {
            if (i + 1 < dml.size() && dml[i + 1] == '\'') {
                out.push_back('\'');
                ++i;
                continue;
            }
            throw ConfigError(fmt::format(
                "{}: byte {}: a single quote would end UNLOAD's literal (write '' for a quote)",
                source, i + 1));
        }
        if (c != '\\') {
            out.push_back(c);
            continue;
        }
        if (i + 1 == dml.size())
            throw ConfigError(fmt::format("{}: ends with a lone backslash", source));
        const char e = dml[++i];
        if (std::string_view("bfnrt01234567").find(e) != std::string_view::npos)
            throw ConfigError(fmt::format(
                "{}: byte {}: the escape \\{} is not supported in an exported DML", source, i, e));
        out.push_back(e);  // \' → ', \\ → \, \V → V
    }
    return out;
}

namespace {

// '20240214': a date literal that Redshift casts for a date/timestamp comparison. SQLite
// stores dates as ISO text and would compare it as a number.
bool compact_date_literal(std::string_view t) {
    if (t.size() != 10 || t.front() != '\'' || t.back() != '\'') return false;
    for (size_t i = 1; i < 9; ++i)
        if (t[i] < '0' || t[i] > '9') return false;
    const int month = (t[5] - '0') * 10 + (t[6] - '0');
    const int day = (t[7] - '0') * 10 + (t[8] - '0');
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

}  // namespace

std::string portable_query(std::string_view decoded) {
    const std::vector<sql::Token> tokens = sql::tokenize(decoded);
    std::vector<size_t> sig;  // indexes of significant tokens
    for (size_t i = 0; i < tokens.size(); ++i)
        if (tokens[i].significant()) sig.push_back(i);

    std::string out;
    out.reserve(decoded.size() + 16);
    // DATEADD ( word ,  → DATEADD ( 'word' ,
    std::vector<bool> quote(tokens.size(), false);
    for (size_t k = 0; k + 3 < sig.size(); ++k) {
        if (tokens[sig[k]].is("DATEADD") && tokens[sig[k + 1]].is_punct('(') &&
            tokens[sig[k + 2]].kind == sql::TokenKind::Word && tokens[sig[k + 3]].is_punct(','))
            quote[sig[k + 2]] = true;
    }
    // SELECT * FROM ( … ) at the end, without alias: the final ')' closes the outer '('.
    bool needs_alias = false;
    if (sig.size() >= 5 && tokens[sig.back()].is_punct(')')) {
        int depth = 0;
        for (size_t k = sig.size(); k-- > 0;) {
            const auto& t = tokens[sig[k]];
            if (t.is_punct(')')) ++depth;
            if (t.is_punct('(') && --depth == 0) {
                needs_alias = k >= 1 && tokens[sig[k - 1]].is("FROM");
                break;
            }
        }
    }
    const size_t last = sig.empty() ? tokens.size() : sig.back();
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (tokens[i].kind == sql::TokenKind::String && compact_date_literal(tokens[i].text)) {
            const std::string_view d = tokens[i].text.substr(1, 8);
            out.append("'").append(d.substr(0, 4)).append("-").append(d.substr(4, 2));
            out.append("-").append(d.substr(6, 2)).append("'");
        } else if (quote[i])
            out.append("'").append(tokens[i].text).append("'");
        else
            out.append(tokens[i].text);
        if (needs_alias && i == last) out.append(" AS unload_q");
    }
    return out;
}

}  // namespace gdx::exports
