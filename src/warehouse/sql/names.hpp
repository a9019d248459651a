#pragma once
// What every statement rewriter asks of a token: does it name something, how is a name quoted,
// and does a name stand in a FROM list (a table) or elsewhere (a column, an alias).
#include <string>
#include <string_view>
#include <vector>

#include "warehouse/sql/tokenizer.hpp"

namespace gdx::warehouse::sql {

// An unquoted or a quoted identifier (keywords included: the caller knows the grammar).
bool is_name(const Token& t);

// `text` between two `quote` characters, each `quote` inside doubled: the one quoting rule of
// SQL names ("x") and string literals ('x').
std::string enclose(std::string_view text, char quote);

// "x" with embedded quotes doubled.
inline std::string quote_identifier(std::string_view name) {
    return enclose(name, '"');
}

// Whether the significant tokens seen so far stand in a FROM (or JOIN) list, per parenthesis
// depth: `FROM a, (SELECT … WHERE …), b` is one list around a subquery that ends its own.
class FromListTracker {
public:
    // Takes the next significant token. True when it was a parenthesis, which names nothing.
    bool step(const Token& t);
    bool in_from() const { return in_from_.back(); }

private:
    std::vector<bool> in_from_{false};
};

}  // namespace gdx::warehouse::sql
