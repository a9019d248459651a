// Declared-type parsing for the DDL dialect of the original configs (Redshift).
#include "types/column_type.hpp"

#include <cctype>
#include <charconv>

#include "util/error.hpp"

namespace gdx::types {
namespace {

// A declared type is a sequence of words and parenthesised argument lists.
struct Token {
    enum Kind { Word, Args } kind;
    std::string text;  // upper-cased word, or the raw text inside the parentheses
};

std::vector<Token> tokenize(std::string_view s) {
    std::vector<Token> out;
    size_t i = 0;
    while (i < s.size()) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (std::isspace(c) || c == ',') {
            ++i;
        } else if (c == '(') {
            size_t close = s.find(')', i);
            if (close == std::string_view::npos)
                throw ConfigError("unbalanced parenthesis in column type '" + std::string(s) + "'");
            out.push_back({Token::Args, std::string(s.substr(i + 1, close - i - 1))});
            i = close + 1;
        } else {
            size_t start = i;
            while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i])) && s[i] != '(' &&
                   s[i] != ',')
                ++i;
            std::string w(s.substr(start, i - start));
            for (char& ch : w) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
            out.push_back({Token::Word, std::move(w)});
        }
    }
    return out;
}

// "18, 0" -> {18, 0}; "MAX" -> {65535}. Throws on anything that is not a number list.
std::vector<int32_t> parse_args(const std::string& args, std::string_view declared) {
    std::vector<int32_t> out;
    size_t i = 0;
    while (i < args.size()) {
        while (i < args.size() &&
               (std::isspace(static_cast<unsigned char>(args[i])) || args[i] == ','))
            ++i;
        if (i >= args.size()) break;
        size_t start = i;
        while (i < args.size() && args[i] != ',' &&
               !std::isspace(static_cast<unsigned char>(args[i])))
            ++i;
        std::string_view item(args.data() + start, i - start);
        if (item.size() == 3 && std::toupper(static_cast<unsigned char>(item[0])) == 'M' &&
            std::toupper(static_cast<unsigned char>(item[1])) == 'A' &&
            std::toupper(static_cast<unsigned char>(item[2])) == 'X') {
            out.push_back(65535);  // Redshift VARCHAR(MAX)
            continue;
        }
        int32_t v = 0;
        auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (ec != std::errc() || p != item.data() + item.size())
            throw ConfigError("invalid argument '" + std::string(item) + "' in column type '" +
                              std::string(declared) + "'");
        out.push_back(v);
    }
    return out;
}

struct BaseName {
    const char* first;
    const char* second;  // nullptr: single-word name
    TypeKind kind;
};

// Multi-word names first so that "DOUBLE PRECISION" wins over a bare "DOUBLE".
constexpr BaseName kNames[] = {
    {"DOUBLE", "PRECISION", TypeKind::Double},
    {"CHARACTER", "VARYING", TypeKind::Text},
    {"NATIONAL", "CHARACTER", TypeKind::Text},
    {"VARCHAR", nullptr, TypeKind::Text},
    {"NVARCHAR", nullptr, TypeKind::Text},
    {"CHARACTER", nullptr, TypeKind::Text},
    {"CHAR", nullptr, TypeKind::Text},
    {"NCHAR", nullptr, TypeKind::Text},
    {"BPCHAR", nullptr, TypeKind::Text},
    {"TEXT", nullptr, TypeKind::Text},
    {"SMALLINT", nullptr, TypeKind::SmallInt},
    {"INT2", nullptr, TypeKind::SmallInt},
    {"INT", nullptr, TypeKind::Integer},
    {"INTEGER", nullptr, TypeKind::Integer},
    {"INT4", nullptr, TypeKind::Integer},
    {"BIGINT", nullptr, TypeKind::BigInt},
    {"INT8", nullptr, TypeKind::BigInt},
    {"REAL", nullptr, TypeKind::Real},
    {"FLOAT4", nullptr, TypeKind::Real},
    {"FLOAT", nullptr, TypeKind::Double},
    {"FLOAT8", nullptr, TypeKind::Double},
    {"DECIMAL", nullptr, TypeKind::Decimal},
    {"NUMERIC", nullptr, TypeKind::Decimal},
    {"BOOLEAN", nullptr, TypeKind::Boolean},
    {"BOOL", nullptr, TypeKind::Boolean},
    {"DATE", nullptr, TypeKind::Date},
    {"TIMESTAMPTZ", nullptr, TypeKind::TimestampTz},
    {"TIMESTAMP", nullptr, TypeKind::Timestamp},
    {"TIMETZ", nullptr, TypeKind::Time},
    {"TIME", nullptr, TypeKind::Time},
};

// Words after the type that belong to the column definition, not the type.
bool is_attribute_word(const std::string& w) {
    return w == "IDENTITY" || w == "NOT" || w == "NULL" || w == "ENCODE" || w == "DEFAULT" ||
           w == "PRIMARY" || w == "KEY" || w == "SORTKEY" || w == "DISTKEY" || w == "UNIQUE" ||
           w == "REFERENCES" || w == "GENERATED" || w == "COLLATE";
}

// The base type's words at the start of the tokens ("DOUBLE PRECISION", "NATIONAL CHARACTER
// VARYING"), looked up in kNames.
struct BaseType {
    bool found = false;
    TypeKind kind = TypeKind::Other;
    size_t words = 1;         // tokens the name took
    bool fixed_char = false;  // CHAR-like: no length means one character
};

BaseType match_base_type(const std::vector<Token>& toks) {
    for (const BaseName& n : kNames) {
        if (toks[0].text != n.first) continue;
        if (n.second &&
            (toks.size() < 2 || toks[1].kind != Token::Word || toks[1].text != n.second))
            continue;
        BaseType b{true, n.kind, n.second ? 2u : 1u, false};
        const std::string_view first = n.first;
        b.fixed_char = (first == "CHARACTER" && !n.second) || first == "CHAR" || first == "NCHAR" ||
                       first == "BPCHAR" || first == "NATIONAL";
        // NATIONAL CHARACTER [VARYING]
        if (first == "NATIONAL" && b.words < toks.size() && toks[b.words].kind == Token::Word &&
            toks[b.words].text == "VARYING") {
            b.fixed_char = false;
            ++b.words;
        }
        return b;
    }
    return {};
}

// TIMESTAMP / TIME [WITH | WITHOUT] TIME ZONE at toks[i]: consumed, kind and text updated.
void read_time_zone(const std::vector<Token>& toks, size_t& i, ColumnType& t,
                    std::string& type_text, std::string_view declared) {
    if ((t.kind != TypeKind::Timestamp && t.kind != TypeKind::Time) || i + 2 >= toks.size() ||
        toks[i].kind != Token::Word || (toks[i].text != "WITH" && toks[i].text != "WITHOUT"))
        return;
    const bool with = toks[i].text == "WITH";
    if (toks[i + 1].text != "TIME" || toks[i + 2].text != "ZONE")
        throw ConfigError("malformed column type '" + std::string(declared) + "'");
    type_text += with ? " WITH TIME ZONE" : " WITHOUT TIME ZONE";
    if (with && t.kind == TypeKind::Timestamp) t.kind = TypeKind::TimestampTz;
    i += 3;
}

// Length, precision and scale from the type's arguments, with Redshift's defaults.
void apply_type_args(ColumnType& t, const std::vector<int32_t>& args, const BaseType& base,
                     const std::string& first_word, std::string_view declared) {
    switch (t.kind) {
        case TypeKind::Text:
            if (!args.empty())
                t.length = args[0];
            else if (base.fixed_char && first_word != "BPCHAR")
                t.length = 1;  // Redshift: CHAR without length is CHAR(1)
            else
                t.length = 256;  // Redshift: VARCHAR, TEXT, BPCHAR without length
            break;
        case TypeKind::Decimal:
            t.precision = args.empty() ? 18 : args[0];
            t.scale = args.size() > 1 ? args[1] : 0;
            if (t.precision < 1 || t.scale < 0 || t.scale > t.precision)
                throw ConfigError("invalid precision/scale in column type '" +
                                  std::string(declared) + "'");
            break;
        case TypeKind::Double:
            // FLOAT(p): p <= 24 is single precision (PostgreSQL/Redshift rule).
            if (!args.empty() && first_word == "FLOAT" && args[0] <= 24) t.kind = TypeKind::Real;
            break;
        default:
            break;
    }
}

// Column attributes after the type: IDENTITY / GENERATED … AS IDENTITY, NOT NULL.
void read_attributes(const std::vector<Token>& toks, size_t i, ColumnType& t) {
    for (; i < toks.size(); ++i) {
        if (toks[i].kind != Token::Word) continue;
        if (toks[i].text == "IDENTITY" || toks[i].text == "GENERATED") {
            t.identity = true;
        } else if (toks[i].text == "NOT" && i + 1 < toks.size() && toks[i + 1].text == "NULL") {
            t.not_null = true;
            ++i;
        }
    }
}

}  // namespace

ColumnType parse_declared_type(std::string_view declared) {
    const std::vector<Token> toks = tokenize(declared);
    if (toks.empty() || toks[0].kind != Token::Word)
        throw ConfigError("empty or malformed column type '" + std::string(declared) + "'");

    ColumnType t;
    const BaseType base = match_base_type(toks);
    t.kind = base.kind;
    size_t i = base.words;
    std::string type_text;
    for (size_t k = 0; k < i; ++k) type_text += (k ? " " : "") + toks[k].text;

    std::vector<int32_t> args;
    if (i < toks.size() && toks[i].kind == Token::Args) {
        args = parse_args(toks[i].text, declared);
        type_text += "(" + toks[i].text + ")";
        ++i;
    }
    read_time_zone(toks, i, t, type_text, declared);
    // Unknown multi-word types (e.g. "INTERVAL DAY") keep their words in the text.
    if (!base.found) {
        while (i < toks.size() && toks[i].kind == Token::Word && !is_attribute_word(toks[i].text))
            type_text += " " + toks[i++].text;
    }
    apply_type_args(t, args, base, toks[0].text, declared);
    read_attributes(toks, i, t);
    t.declared = std::move(type_text);
    return t;
}

std::vector<const TableColumn*> TableSchema::loadable_columns() const {
    std::vector<const TableColumn*> out;
    out.reserve(columns.size());
    for (const TableColumn& c : columns)
        if (!c.type.identity) out.push_back(&c);
    return out;
}

}  // namespace gdx::types
