#include "warehouse/sql/names.hpp"

namespace gdx::warehouse::sql {
namespace {

// Words that end a FROM list at the current parenthesis depth.
bool ends_from_list(const Token& t) {
    static constexpr std::string_view kWords[] = {
        "WHERE", "GROUP",  "ORDER",     "HAVING", "LIMIT",  "ON",     "USING",    "SET",
        "UNION", "EXCEPT", "INTERSECT", "WINDOW", "SELECT", "VALUES", "RETURNING"};
    return t.is_any(kWords);
}

}  // namespace

bool is_name(const Token& t) {
    return t.kind == TokenKind::Word || t.kind == TokenKind::QuotedIdent;
}

std::string enclose(std::string_view text, char quote) {
    std::string out(1, quote);
    for (char c : text) {
        out.push_back(c);
        if (c == quote) out.push_back(quote);
    }
    out.push_back(quote);
    return out;
}

bool FromListTracker::step(const Token& t) {
    if (t.is_punct('(')) {
        in_from_.push_back(false);
        return true;
    }
    if (t.is_punct(')')) {
        if (in_from_.size() > 1) in_from_.pop_back();
        return true;
    }
    if (t.is("FROM") || t.is("JOIN"))
        in_from_.back() = true;
    else if (ends_from_list(t))
        in_from_.back() = false;
    return false;
}

}  // namespace gdx::warehouse::sql
