#pragma once
// A small SQL tokenizer (Redshift/PostgreSQL lexical rules) used to split scripts into
// statements and to rewrite them for other backends without touching quoted text.
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace gdx::warehouse::sql {

enum class TokenKind {
    Word,          // identifier or keyword, unquoted
    QuotedIdent,   // "…" with "" escapes
    String,        // '…' with '' escapes
    DollarString,  // $$…$$ or $tag$…$tag$
    Number,
    Punct,    // one operator/punctuation character, or :: || <> != <= >=
    Space,    // ASCII white space and U+00A0 (no-break space)
    Comment,  // -- to end of line, or /* … */ (nested)
};

struct Token {
    TokenKind kind;
    std::string_view text;  // a view into the tokenized script

    bool significant() const { return kind != TokenKind::Space && kind != TokenKind::Comment; }
    // Case-insensitive keyword test; `upper` must be upper case.
    bool is(std::string_view upper) const;
    // Whether it is any of the keywords in `upper` (each upper case).
    bool is_any(std::span<const std::string_view> upper) const;
    bool is_punct(char c) const {
        return kind == TokenKind::Punct && text.size() == 1 && text[0] == c;
    }
};

// Never fails: an unterminated quote or comment extends to the end of the script (the
// database then reports the syntax error).
std::vector<Token> tokenize(std::string_view sql);

// The identifier a Word or QuotedIdent names, Redshift-style: folded to lower case (ASCII),
// quoted ones too (Redshift's default); quoted ones are unescaped.
std::string identifier_value(const Token& token);

// Upper-cased text of a token (for notes and keyword comparisons).
std::string upper(std::string_view text);

}  // namespace gdx::warehouse::sql
