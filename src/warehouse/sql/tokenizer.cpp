#include "warehouse/sql/tokenizer.hpp"

#include <cctype>

namespace gdx::warehouse::sql {
namespace {

// U+00A0 NO-BREAK SPACE, found between tokens in some original DDL files.
bool nbsp_at(std::string_view s, size_t i) {
    return i + 1 < s.size() && s[i] == '\xC2' && s[i + 1] == '\xA0';
}

bool space_at(std::string_view s, size_t i) {
    return std::isspace(static_cast<unsigned char>(s[i])) || nbsp_at(s, i);
}

bool word_start(unsigned char c) {
    return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool word_char(unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80;
}

// End of a quoted run starting at `pos` (the opening quote), doubled quotes escaping.
size_t quoted_end(std::string_view s, size_t pos, char quote) {
    size_t i = pos + 1;
    while (i < s.size()) {
        if (s[i] == quote) {
            if (i + 1 < s.size() && s[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return s.size();
}

// `$tag$` opener at pos, or 0 if this '$' does not start a dollar-quoted string.
size_t dollar_tag_length(std::string_view s, size_t pos) {
    size_t i = pos + 1;
    if (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) return 0;  // $1 param
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_')) ++i;
    if (i < s.size() && s[i] == '$') return i + 1 - pos;
    return 0;
}

size_t block_comment_end(std::string_view s, size_t pos) {
    int depth = 0;
    size_t i = pos;
    while (i + 1 < s.size()) {
        if (s[i] == '/' && s[i + 1] == '*') {
            ++depth;
            i += 2;
        } else if (s[i] == '*' && s[i + 1] == '/') {
            i += 2;
            if (--depth == 0) return i;
        } else {
            ++i;
        }
    }
    return s.size();
}

size_t number_end(std::string_view s, size_t i) {
    auto digit = [&](size_t k) {
        return k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]));
    };
    while (digit(i)) ++i;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (digit(i)) ++i;
    }
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        size_t k = i + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (digit(k)) {
            i = k;
            while (digit(i)) ++i;
        }
    }
    return i;
}

}  // namespace

bool Token::is(std::string_view upper_kw) const {
    if (kind != TokenKind::Word || text.size() != upper_kw.size()) return false;
    for (size_t i = 0; i < text.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(text[i])) != upper_kw[i]) return false;
    }
    return true;
}

bool Token::is_any(std::span<const std::string_view> upper) const {
    for (std::string_view w : upper)
        if (is(w)) return true;
    return false;
}

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        size_t end = i + 1;
        TokenKind kind = TokenKind::Punct;
        if (space_at(s, i)) {
            end = i;
            while (end < s.size() && space_at(s, end)) end += nbsp_at(s, end) ? 2 : 1;
            kind = TokenKind::Space;
        } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
            end = s.find('\n', i);
            if (end == std::string_view::npos) end = s.size();
            kind = TokenKind::Comment;
        } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            end = block_comment_end(s, i);
            kind = TokenKind::Comment;
        } else if (c == '\'') {
            end = quoted_end(s, i, '\'');
            kind = TokenKind::String;
        } else if (c == '"') {
            end = quoted_end(s, i, '"');
            kind = TokenKind::QuotedIdent;
        } else if (c == '$' && dollar_tag_length(s, i) > 0) {
            const size_t tag_len = dollar_tag_length(s, i);
            const size_t close = s.find(s.substr(i, tag_len), i + tag_len);
            end = close == std::string_view::npos ? s.size() : close + tag_len;
            kind = TokenKind::DollarString;
        } else if (word_start(c)) {
            while (end < s.size() && word_char(static_cast<unsigned char>(s[end]))) ++end;
            kind = TokenKind::Word;
        } else if (std::isdigit(c) || (c == '.' && i + 1 < s.size() &&
                                       std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
            end = number_end(s, i);
            kind = TokenKind::Number;
        } else if (i + 1 < s.size()) {
            const std::string_view two = s.substr(i, 2);
            if (two == "::" || two == "||" || two == "<>" || two == "!=" || two == "<=" ||
                two == ">=") {
                end = i + 2;
            }
        }
        out.push_back(Token{kind, s.substr(i, end - i)});
        i = end;
    }
    return out;
}

std::string identifier_value(const Token& token) {
    if (token.kind == TokenKind::QuotedIdent) {
        std::string out;
        std::string_view body = token.text.substr(1);
        if (!body.empty() && body.back() == '"') body.remove_suffix(1);
        for (size_t i = 0; i < body.size(); ++i) {
            const char c = body[i];
            out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
            if (body[i] == '"' && i + 1 < body.size() && body[i + 1] == '"') ++i;
        }
        return out;
    }
    std::string out(token.text);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& ch : out) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return out;
}

}  // namespace gdx::warehouse::sql
