#include "warehouse/sql/expressions.hpp"
#include "warehouse/sql/statements.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "util/error.hpp"
#include "warehouse/sql/names.hpp"
#include "warehouse/sql/redshift_datetime.hpp"
#include "warehouse/sql/statements.hpp"
#include "warehouse/sql/tokenizer.hpp"

namespace gdx::warehouse::sql {
namespace {

constexpr std::string_view kPgNow = "(now() AT TIME ZONE 'UTC')";
constexpr std::string_view kPgGetdate = "date_trunc('second', now() AT TIME ZONE 'UTC')";

bool is_comparison(const Token& t) {
    if (t.kind != TokenKind::Punct) return false;
    return t.text == "=" || t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">=" ||
           t.text == "<>" || t.text == "!=";
}

// Words that can follow a FROM item but are not its alias.
bool clause_word(const Token& t) {
    static constexpr std::string_view kWords[] = {
        "WHERE", "GROUP",     "ORDER", "HAVING", "LIMIT",  "OFFSET",  "UNION", "EXCEPT",
        "MINUS", "INTERSECT", "JOIN",  "LEFT",   "RIGHT",  "INNER",   "OUTER", "FULL",
        "CROSS", "NATURAL",   "ON",    "USING",  "WINDOW", "QUALIFY", "FETCH", "FOR"};
    return t.is_any(kWords);
}

// Keywords that can precede a parenthesised group without being a function name.
bool keyword_before_group(const Token& t) {
    static constexpr std::string_view kWords[] = {
        "FROM",  "JOIN",   "IN",        "AS",     "EXISTS", "AND",       "OR",
        "NOT",   "ON",     "WHERE",     "SELECT", "VALUES", "USING",     "INTO",
        "TABLE", "UNION",  "ALL",       "ANY",    "SOME",   "THEN",      "ELSE",
        "WHEN",  "CASE",   "BY",        "HAVING", "WITH",   "LATERAL",   "DISTINCT",
        "OVER",  "FILTER", "INTERSECT", "EXCEPT", "MINUS",  "RETURNING", "SET"};
    return t.is_any(kWords);
}

// "OFFICESIZE" → "officesize": Redshift folds quoted identifiers to lower case (its
// default, enable_case_sensitive_identifier off), so the originals quote freely.
std::string folded_identifier(std::string_view quoted) {
    std::string out(quoted);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

std::string trimmed(std::string s) {
    const size_t b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    const size_t e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// The pinned clock as a PostgreSQL literal, or the live expression.
std::string pg_now(bool whole_seconds) {
    auto pinned = pinned_getdate();
    if (!pinned) return std::string(whole_seconds ? kPgGetdate : kPgNow);
    return "TIMESTAMP '" + format_timestamp(*pinned) + "'";
}

class ExpressionWriter {
public:
    ExpressionWriter(std::string_view statement, Dialect dialect)
        : tokens_(tokenize(statement)), sqlite_(dialect == Dialect::SQLite) {
        for (size_t i = 0; i < tokens_.size(); ++i) {
            if (tokens_[i].significant()) sig_.push_back(i);
        }
    }

    std::string run() { return sig_.empty() ? std::string() : render(0, sig_.size() - 1); }

private:
    const Token& at(size_t k) const { return tokens_[sig_[k]]; }
    bool has(size_t k) const { return k < sig_.size(); }

    // Space and comments between significant tokens k-1 and k (U+00A0 becomes a space: no
    // database accepts it as white space).
    std::string gap(size_t k) const {
        std::string out;
        for (size_t i = sig_[k - 1] + 1; i < sig_[k]; ++i) {
            const Token& t = tokens_[i];
            if (t.kind == TokenKind::Space && t.text.find('\xA0') != std::string_view::npos) {
                out += ' ';
            } else {
                out += t.text;
            }
        }
        return out;
    }

    size_t matching(size_t open) const {
        int depth = 0;
        for (size_t j = open; j < sig_.size(); ++j) {
            if (at(j).is_punct('(')) ++depth;
            if (at(j).is_punct(')') && --depth == 0) return j;
        }
        return sig_.size();
    }

    // Renders significant tokens [from, to] with the space between them.
    std::string render(size_t from, size_t to) {
        std::string out;
        bool bound_next = false;  // the next operand is a bound of BETWEEN … AND …
        bool in_between = false;
        bool in_select = false;  // between SELECT and FROM at this level
        size_t scopes_pushed = 0;
        for (size_t k = from; k <= to;) {
            if (k > from) out += gap(k);
            const Token& t = at(k);
            const bool compared = k > from && (is_comparison(at(k - 1)) || bound_next);
            bound_next = false;
            size_t end = k;
            std::string piece = unit(k, to, compared, end);
            const size_t operand_end = end;
            while (end + 2 <= to && at(end + 1).kind == TokenKind::Punct &&
                   at(end + 1).text == "::") {
                size_t type_end = end + 2;
                const std::string type = type_name(end + 2, to, type_end);
                if (sqlite_) {
                    piece = sqlite_cast(piece, type);
                } else {
                    piece += gap(end + 1) + "::" + gap(end + 2) + folded(end + 2, type_end);
                }
                end = type_end;
            }
            // SELECT x.col::type names its column `col` on Redshift and PostgreSQL; SQLite
            // would name it after the function the cast became.
            if (sqlite_ && in_select && end != operand_end &&
                at(operand_end).kind != TokenKind::String && is_name(at(operand_end)) &&
                !at(k).is("TIMESTAMP") && !at(k).is("DATE") &&
                (end == to || at(end + 1).is_punct(',') || at(end + 1).is("FROM"))) {
                piece += " AS " +
                         folded_identifier(at(operand_end).kind == TokenKind::QuotedIdent
                                               ? at(operand_end).text
                                               : "\"" + std::string(at(operand_end).text) + "\"");
            }
            out += piece;
            if (t.is("SELECT")) {
                scopes_.push_back(alias_scope(k, to));
                ++scopes_pushed;
            }
            if (t.is("SELECT")) in_select = true;
            if (t.is("FROM")) in_select = false;
            if (t.is("BETWEEN")) {
                in_between = bound_next = true;
            } else if (in_between && t.is("AND")) {
                in_between = false;
                bound_next = true;
            }
            k = end + 1;
        }
        scopes_.resize(scopes_.size() - scopes_pushed);
        return out;
    }

    // Output aliases of one SELECT, for the references Redshift resolves to them (lateral
    // column aliases): later items of the select list, and the WHERE clause.
    struct AliasScope {
        size_t list_begin = 0, list_end = 0;    // the select list
        size_t where_begin = 1, where_end = 0;  // the WHERE condition (empty when begin > end)
        struct Alias {
            std::string name;
            size_t expr_begin, expr_end, defined_at;
        };
        std::vector<Alias> aliases;
    };

    AliasScope alias_scope(size_t select, size_t to) const {
        AliasScope scope;
        scope.list_begin = select + 1;
        scope.list_end = to;
        int depth = 0;
        size_t item = select + 1;
        auto close_item = [&](size_t last) {
            // expr AS alias
            if (last >= item + 2 && at(last - 1).is("AS") && is_name(at(last))) {
                scope.aliases.push_back({identifier_value(at(last)), item, last - 2, last});
            }
        };
        size_t k = select + 1;
        for (; k <= to; ++k) {
            const Token& t = at(k);
            if (t.is_punct('(')) ++depth;
            if (t.is_punct(')')) {
                if (depth == 0) break;
                --depth;
            }
            if (depth != 0) continue;
            if (t.is_punct(',')) {
                close_item(k - 1);
                item = k + 1;
            } else if (t.is("FROM") || t.is("UNION") || t.is("EXCEPT") || t.is("INTERSECT")) {
                break;
            }
        }
        if (k > select + 1) close_item(k - 1);
        scope.list_end = k - 1;
        if (k > to || !at(k).is("FROM")) return scope;
        for (; k <= to; ++k) {
            const Token& t = at(k);
            if (t.is_punct('(')) ++depth;
            if (t.is_punct(')')) {
                if (depth == 0) return scope;
                --depth;
            }
            if (depth == 0 && t.is("WHERE")) break;
        }
        if (k > to) return scope;
        scope.where_begin = k + 1;
        for (++k; k <= to; ++k) {
            const Token& t = at(k);
            if (t.is_punct('(')) ++depth;
            if (t.is_punct(')')) {
                if (depth == 0) break;
                --depth;
            }
            if (depth == 0 && (t.is("GROUP") || t.is("ORDER") || t.is("HAVING") || t.is("LIMIT") ||
                               t.is("UNION") || t.is("EXCEPT") || t.is("INTERSECT") ||
                               t.is("MINUS") || t.is("QUALIFY") || t.is("WINDOW"))) {
                break;
            }
        }
        scope.where_end = k - 1;
        return scope;
    }

    // The expression an unqualified name at k stands for when it is a lateral alias
    // reference, or nullopt. PostgreSQL resolves neither kind; SQLite resolves the WHERE kind
    // itself.
    std::optional<std::string> lateral_alias(size_t k) {
        const Token& t = at(k);
        if (!is_name(t) || (k > 0 && (at(k - 1).is_punct('.') || at(k - 1).is("AS"))) ||
            (has(k + 1) && (at(k + 1).is_punct('.') || at(k + 1).is_punct('('))))
            return std::nullopt;
        if (t.kind == TokenKind::Word && keyword_before_group(t)) return std::nullopt;
        const std::string name = identifier_value(t);
        for (auto scope = scopes_.rbegin(); scope != scopes_.rend(); ++scope) {
            const bool in_list = k >= scope->list_begin && k <= scope->list_end;
            const bool in_where = k >= scope->where_begin && k <= scope->where_end;
            if (!in_list && !in_where) continue;
            if (in_where && sqlite_) return std::nullopt;
            for (const auto& alias : scope->aliases) {
                if (alias.name != name || (in_list && alias.defined_at >= k)) continue;
                // `x AS x` names a column, not a new expression.
                if (alias.expr_begin == alias.expr_end &&
                    identifier_value(at(alias.expr_begin)) == name)
                    return std::nullopt;
                return "(" + trimmed(render(alias.expr_begin, alias.expr_end)) + ")";
            }
            return std::nullopt;
        }
        return std::nullopt;
    }

    // Source text of [from, to] with quoted identifiers folded (for type names).
    std::string folded(size_t from, size_t to) const {
        std::string out;
        for (size_t k = from; k <= to; ++k) {
            if (k > from) out += gap(k);
            out += at(k).kind == TokenKind::QuotedIdent ? folded_identifier(at(k).text)
                                                        : std::string(at(k).text);
        }
        return out;
    }

    // A type name at k: one or more words (DOUBLE PRECISION, TIMESTAMP WITHOUT TIME ZONE,
    // CHARACTER VARYING) and an optional (n[,m]). Returns it upper-cased, words single-spaced.
    std::string type_name(size_t k, size_t to, size_t& end) const {
        std::string name = upper(at(k).text);
        end = k;
        auto next_is = [&](std::string_view w) { return end + 1 <= to && at(end + 1).is(w); };
        if ((name == "DOUBLE" && next_is("PRECISION")) ||
            (name == "CHARACTER" && next_is("VARYING"))) {
            name += " " + upper(at(++end).text);
        } else if ((name == "TIMESTAMP" || name == "TIME") &&
                   (next_is("WITH") || next_is("WITHOUT")) && end + 3 <= to &&
                   at(end + 2).is("TIME") && at(end + 3).is("ZONE")) {
            name += " " + upper(at(end + 1).text) + " TIME ZONE";
            end += 3;
        }
        if (end + 1 <= to && at(end + 1).is_punct('(')) {
            const size_t close = matching(end + 1);
            if (close <= to) {
                name += std::string(text_of(end + 1, close));
                end = close;
            }
        }
        return name;
    }

    std::string_view text_of(size_t from, size_t to) const {
        const Token& a = at(from);
        const Token& b = at(to);
        return std::string_view(a.text.data(),
                                static_cast<size_t>(b.text.data() + b.text.size() - a.text.data()));
    }

    // SQLite stores dates and timestamps as ISO text and has no BOOLEAN: casts to them go
    // through functions that parse what Redshift accepts.
    static std::string sqlite_cast(const std::string& value, const std::string& type) {
        const std::string base = type.substr(0, type.find_first_of(" ("));
        if (base == "DATE") return "redshift_date(" + value + ")";
        if (base == "TIMESTAMP" || base == "TIMESTAMPTZ")
            return "redshift_timestamp(" + value + ")";
        if (base == "BOOLEAN" || base == "BOOL") return "redshift_bool(" + value + ")";
        if (base == "SMALLINT" || base == "INT" || base == "INTEGER" || base == "BIGINT" ||
            base == "INT2" || base == "INT4" || base == "INT8")
            return "CAST(" + value + " AS INTEGER)";
        if (base == "REAL" || base == "FLOAT" || base == "FLOAT4" || base == "FLOAT8" ||
            base == "DOUBLE")
            return "CAST(" + value + " AS REAL)";
        if (base == "DECIMAL" || base == "NUMERIC") return "CAST(" + value + " AS NUMERIC)";
        if (base == "VARCHAR" || base == "CHAR" || base == "CHARACTER" || base == "TEXT" ||
            base == "BPCHAR" || base == "NVARCHAR" || base == "NCHAR")
            return "CAST(" + value + " AS TEXT)";
        return "CAST(" + value + " AS " + type + ")";
    }

    // One operand starting at k (a name chain, a call, a parenthesised group, a typed
    // literal or a single token); sets `end` to its last token.
    std::string unit(size_t k, size_t to, bool compared, size_t& end) {
        const Token& t = at(k);
        end = k;
        const bool after_dot = k > 0 && at(k - 1).is_punct('.');
        if (t.kind == TokenKind::Word && !after_dot && k + 1 <= to && at(k + 1).is_punct('(') &&
            !keyword_before_group(t)) {
            const size_t close = matching(k + 1);
            if (close <= to) {
                end = close;
                return call(k, close);
            }
        }
        if (t.is_punct('(')) {
            const size_t close = matching(k);
            if (close <= to) {
                end = close;
                std::string out = "(";
                if (close > k + 1) out += gap(k + 1) + render(k + 1, close - 1);
                out += gap(close) + ")";
                if (!sqlite_ && unaliased_derived_table(k, close, to)) {
                    out += fmt::format(" AS gdx_subquery_{}", ++subqueries_);
                }
                return out;
            }
        }
        if (is_name(t)) {
            if (auto expr = lateral_alias(k)) return *expr;
            std::string out = name_token(k, to, end);
            // a.b.c, a.*
            while (end + 2 <= to && at(end + 1).is_punct('.') &&
                   (is_name(at(end + 2)) || at(end + 2).is_punct('*'))) {
                out += gap(end + 1) + "." + gap(end + 2);
                out += at(end + 2).kind == TokenKind::QuotedIdent
                           ? folded_identifier(at(end + 2).text)
                           : std::string(at(end + 2).text);
                end += 2;
            }
            return out;
        }
        if (t.kind == TokenKind::String && t.text.find('\\') != std::string_view::npos) {
            return backslash_literal(t.text);
        }
        if (t.kind == TokenKind::String && sqlite_) {
            const bool next_compares = k + 1 <= to && is_comparison(at(k + 1));
            if (compared || next_compares) return date_literal(t.text);
        }
        return std::string(t.text);
    }

    // Redshift reads backslash escapes in string literals ('\\.' is the two characters \.,
    // '\/' is /), as PostgreSQL does in E'…' strings; SQLite gets the decoded text.
    std::string backslash_literal(std::string_view literal) const {
        if (!sqlite_) return "E" + std::string(literal);
        std::string value;
        const std::string_view body =
            literal.substr(1, literal.size() >= 2 ? literal.size() - 2 : 0);
        for (size_t i = 0; i < body.size(); ++i) {
            char c = body[i];
            if (c == '\'' && i + 1 < body.size() && body[i + 1] == '\'') {
                ++i;
            } else if (c == '\\' && i + 1 < body.size()) {
                c = body[++i];
                switch (c) {
                    case 'b':
                        c = '\b';
                        break;
                    case 'f':
                        c = '\f';
                        break;
                    case 'n':
                        c = '\n';
                        break;
                    case 'r':
                        c = '\r';
                        break;
                    case 't':
                        c = '\t';
                        break;
                    default:
                        break;
                }
            }
            value += c;
        }
        return sql_string(value);
    }

    // 'YYYYMMDD' compared with a date or timestamp: Redshift reads it as a date; SQLite
    // compares text, so it becomes 'YYYY-MM-DD'.
    static std::string date_literal(std::string_view literal) {
        if (literal.size() != 10) return std::string(literal);
        const std::string_view body = literal.substr(1, 8);
        for (char c : body) {
            if (!std::isdigit(static_cast<unsigned char>(c))) return std::string(literal);
        }
        const auto parsed = parse_datetime(body);
        return parsed ? sql_string(format_date(*parsed)) : std::string(literal);
    }

    // A single name token (keywords included).
    std::string name_token(size_t k, size_t to, size_t& end) {
        const Token& t = at(k);
        end = k;
        if (t.kind == TokenKind::QuotedIdent) return folded_identifier(t.text);
        const bool after_dot = k > 0 && at(k - 1).is_punct('.');
        if (after_dot) return std::string(t.text);
        if (t.is("SYSDATE")) return sqlite_ ? "sysdate()" : pg_now(false);
        if ((t.is("TIMESTAMP") || t.is("DATE")) && k + 1 <= to &&
            at(k + 1).kind == TokenKind::String && !(k > 0 && at(k - 1).text == "::")) {
            end = k + 1;
            if (!sqlite_) return std::string(text_of(k, k + 1));
            return (t.is("DATE") ? "redshift_date(" : "redshift_timestamp(") +
                   std::string(at(k + 1).text) + ")";
        }
        if (t.is("ILIKE") && sqlite_) return "LIKE";  // SQLite's LIKE ignores ASCII case
        // A column named index (Redshift has no indexes, so the word is free there).
        if (t.is("INDEX") && sqlite_) return "\"index\"";
        return std::string(t.text);
    }

    // A FROM/JOIN item `( SELECT … )` with no alias after it (PostgreSQL before 16 requires
    // one; Redshift does not).
    bool unaliased_derived_table(size_t open, size_t close, size_t to) const {
        if (open == 0 || !(at(open - 1).is("FROM") || at(open - 1).is("JOIN"))) return false;
        if (!has(open + 1) ||
            !(at(open + 1).is("SELECT") || at(open + 1).is("WITH") || at(open + 1).is_punct('(')))
            return false;
        if (close + 1 > to || !has(close + 1)) return true;
        const Token& next = at(close + 1);
        if (next.is("AS")) return false;
        if (is_name(next) && !clause_word(next)) return false;
        return true;
    }

    // Top-level comma-separated argument ranges of the call whose `(` is at open.
    std::vector<std::pair<size_t, size_t>> arguments(size_t open, size_t close) const {
        std::vector<std::pair<size_t, size_t>> out;
        if (close == open + 1) return out;
        int depth = 0;
        size_t start = open + 1;
        for (size_t j = open + 1; j < close; ++j) {
            if (at(j).is_punct('(')) ++depth;
            if (at(j).is_punct(')')) --depth;
            if (depth == 0 && at(j).is_punct(',')) {
                out.emplace_back(start, j - 1);
                start = j + 1;
            }
        }
        out.emplace_back(start, close - 1);
        return out;
    }

    std::string arg(const std::pair<size_t, size_t>& range) {
        if (range.second < range.first) return {};
        return trimmed(render(range.first, range.second));
    }

    // A date part argument: a bare word (DATEADD(day, …)) or a string ('day').
    std::optional<std::string> date_part(const std::pair<size_t, size_t>& range) const {
        if (range.first != range.second) return std::nullopt;
        const Token& t = at(range.first);
        std::string_view text = t.text;
        if (t.kind == TokenKind::String) {
            text = text.substr(1, text.size() >= 2 ? text.size() - 2 : 0);
        } else if (t.kind != TokenKind::Word) {
            return std::nullopt;
        }
        return canonical_date_part(text);
    }

    std::string default_call(size_t k, size_t close) {
        std::string out = std::string(at(k).text) + gap(k + 1) + "(";
        if (close > k + 2) out += gap(k + 2) + render(k + 2, close - 1);
        return out + gap(close) + ")";
    }

    std::string call(size_t k, size_t close) {
        const Token& name = at(k);
        const auto args = arguments(k + 1, close);
        auto rendered = [&] {
            std::vector<std::string> out;
            for (const auto& a : args) out.push_back(arg(a));
            return out;
        };
        if ((name.is("DATEADD") || name.is("DATEDIFF")) && args.size() == 3) {
            const auto part = date_part(args[0]);
            if (part) {
                const auto a = rendered();
                if (sqlite_) {
                    return fmt::format("{}('{}', {}, {})",
                                       name.is("DATEADD") ? "dateadd" : "datediff", *part, a[1],
                                       a[2]);
                }
                return name.is("DATEADD") ? pg_dateadd(*part, a[1], a[2])
                                          : pg_datediff(*part, a[1], a[2]);
            }
        }
        if (name.is("GETDATE") && args.empty()) return sqlite_ ? "getdate()" : pg_now(true);
        if (name.is("CONVERT_TIMEZONE") && !sqlite_ && (args.size() == 2 || args.size() == 3)) {
            const auto a = rendered();
            const std::string source = args.size() == 3 ? a[0] : "'UTC'";
            return fmt::format("((CAST({} AS timestamp) AT TIME ZONE {}) AT TIME ZONE {})",
                               a.back(), source, a[a.size() - 2]);
        }
        if (name.is("CAST") && sqlite_ && args.size() == 1) {
            // CAST(x AS type): the top-level AS separates the value from the type.
            int depth = 0;
            for (size_t j = k + 2; j < close; ++j) {
                if (at(j).is_punct('(')) ++depth;
                if (at(j).is_punct(')')) --depth;
                if (depth == 0 && at(j).is("AS") && j + 1 < close) {
                    size_t type_end = j + 1;
                    const std::string type = type_name(j + 1, close - 1, type_end);
                    return sqlite_cast(trimmed(render(k + 2, j - 1)), type);
                }
            }
        }
        if (name.is("POSITION") && sqlite_ && args.size() == 1) {
            // POSITION(a IN b) → instr(b, a)
            int depth = 0;
            for (size_t j = k + 2; j < close; ++j) {
                if (at(j).is_punct('(')) ++depth;
                if (at(j).is_punct(')')) --depth;
                if (depth == 0 && at(j).is("IN") && j > k + 2 && j + 1 < close) {
                    return fmt::format("instr({}, {})", trimmed(render(j + 1, close - 1)),
                                       trimmed(render(k + 2, j - 1)));
                }
            }
        }
        if (sqlite_) {
            if (name.is("DATE") && args.size() == 1) return "redshift_date(" + rendered()[0] + ")";
            // SQLite's grammar reserves LEFT/RIGHT for joins; `LEFT(` is always a call.
            if (name.is("LEFT")) return "redshift_left" + default_call(k, close).substr(4);
            if (name.is("RIGHT")) return "redshift_right" + default_call(k, close).substr(5);
        } else {
            if (name.is("NVL")) return "COALESCE" + default_call(k, close).substr(3);
            if (name.is("LEN")) return "LENGTH" + default_call(k, close).substr(3);
            if (name.is("REGEXP_SUBSTR") && args.size() == 2) {
                // Redshift returns '' when nothing matches; PostgreSQL returns NULL.
                const auto a = rendered();
                return fmt::format(
                    "COALESCE(regexp_substr({0}, {1}), CASE WHEN ({0}) IS NOT NULL THEN '' END)",
                    a[0], a[1]);
            }
            if (name.is("REGEXP_REPLACE") && (args.size() == 2 || args.size() == 3)) {
                // Redshift replaces every match and writes back-references as $1.
                const auto a = rendered();
                std::string replacement = args.size() == 3 ? pg_replacement(args[2], a[2]) : "''";
                return fmt::format("regexp_replace({}, {}, {}, 'g')", a[0], a[1], replacement);
            }
        }
        return default_call(k, close);
    }

    // '$1' → '\1' in a literal replacement string.
    std::string pg_replacement(const std::pair<size_t, size_t>& range,
                               const std::string& text) const {
        if (range.first != range.second || at(range.first).kind != TokenKind::String) return text;
        std::string out;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text[i] == '$' && i + 1 < text.size() &&
                std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
                out += '\\';
            } else {
                out += text[i];
            }
        }
        return out;
    }

    static std::string pg_dateadd(const std::string& part, const std::string& n,
                                  const std::string& t) {
        std::string unit = "1 " + part;
        if (part == "quarter") unit = "3 months";
        if (part == "decade") unit = "10 years";
        if (part == "century") unit = "100 years";
        if (part == "millennium") unit = "1000 years";
        return fmt::format("(CAST({} AS timestamp) + ({}) * INTERVAL '{}')", t, n, unit);
    }

    static std::string pg_datediff(const std::string& part, const std::string& a,
                                   const std::string& b) {
        const std::string ta = "CAST(" + a + " AS timestamp)";
        const std::string tb = "CAST(" + b + " AS timestamp)";
        auto extract = [](std::string_view field, const std::string& t) {
            return fmt::format("EXTRACT({} FROM {})", field, t);
        };
        if (part == "year" || part == "decade" || part == "century" || part == "millennium") {
            return fmt::format("CAST({} - {} AS bigint)", extract(part, tb), extract(part, ta));
        }
        if (part == "quarter" || part == "month") {
            const int per_year = part == "month" ? 12 : 4;
            return fmt::format("CAST(({} * {} + {}) - ({} * {} + {}) AS bigint)",
                               extract("YEAR", tb), per_year, extract(part, tb),
                               extract("YEAR", ta), per_year, extract(part, ta));
        }
        int64_t micros = 1;
        if (part == "week") micros = 7LL * 86400 * 1000000;
        if (part == "day") micros = 86400LL * 1000000;
        if (part == "hour") micros = 3600LL * 1000000;
        if (part == "minute") micros = 60LL * 1000000;
        if (part == "second") micros = 1000000;
        if (part == "millisecond") micros = 1000;
        return fmt::format(
            "CAST(EXTRACT(EPOCH FROM (date_trunc('{0}', {1}) - date_trunc('{0}', {2}))) * "
            "1000000 / {3} AS bigint)",
            part, tb, ta, micros);
    }

    std::vector<Token> tokens_;
    std::vector<size_t> sig_;
    bool sqlite_;
    int subqueries_ = 0;
    std::vector<AliasScope> scopes_;  // the SELECTs being rendered, innermost last
};

}  // namespace

std::string rewrite_expressions(std::string_view statement, Dialect dialect) {
    return ExpressionWriter(statement, dialect).run();
}

}  // namespace gdx::warehouse::sql
