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

}  // namespace

ColumnType parse_declared_type(std::string_view declared) {
    std::vector<Token> toks = tokenize(declared);
    if (toks.empty() || toks[0].kind != Token::Word)
        throw ConfigError("empty or malformed column type '" + std::string(declared) + "'");

    ColumnType t;
    size_t i = 0;
    bool found = false;
    bool fixed_char = false;
    for (const BaseName& n : kNames) {
        if (toks[0].text != n.first) continue;
        if (n.second) {
            if (toks.size() < 2 || toks[1].kind != Token::Word || toks[1].text != n.second)
                continue;
            i = 2;
        } else {
            i = 1;
        }
        t.kind = n.kind;
        found = true;
        std::string first = n.first;
        fixed_char = (first == "CHARACTER" && !n.second) || first == "CHAR" || first == "NCHAR" ||
                     first == "BPCHAR" || first == "NATIONAL";
        // NATIONAL CHARACTER [VARYING]
        if (first == "NATIONAL" && i < toks.size() && toks[i].kind == Token::Word &&
            toks[i].text == "VARYING") {
            fixed_char = false;
            ++i;
        }
        break;
    }
    std::string type_text;
    for (size_t k = 0; k < i; ++k) type_text += (k ? " " : "") + toks[k].text;

    if (!found) {
        t.kind = TypeKind::Other;
        i = 1;
        type_text = toks[0].text;
    }

    std::vector<int32_t> args;
    if (i < toks.size() && toks[i].kind == Token::Args) {
        args = parse_args(toks[i].text, declared);
        type_text += "(" + toks[i].text + ")";
        ++i;
    }
    // TIMESTAMP / TIME [WITH | WITHOUT] TIME ZONE
    if ((t.kind == TypeKind::Timestamp || t.kind == TypeKind::Time) && i + 2 < toks.size() &&
        toks[i].kind == Token::Word && (toks[i].text == "WITH" || toks[i].text == "WITHOUT")) {
        bool with = toks[i].text == "WITH";
        if (toks[i + 1].text != "TIME" || toks[i + 2].text != "ZONE")
            throw ConfigError("malformed column type '" + std::string(declared) + "'");
        type_text += with ? " WITH TIME ZONE" : " WITHOUT TIME ZONE";
        if (with && t.kind == TypeKind::Timestamp) t.kind = TypeKind::TimestampTz;
        i += 3;
    }
    // Unknown multi-word types (e.g. "INTERVAL DAY") keep their words in the text.
    if (!found) {
        while (i < toks.size() && toks[i].kind == Token::Word && !is_attribute_word(toks[i].text))
            type_text += " " + toks[i++].text;
    }

    switch (t.kind) {
        case TypeKind::Text:
            if (!args.empty())
                t.length = args[0];
            else if (fixed_char && toks[0].text != "BPCHAR")
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
            if (!args.empty() && toks[0].text == "FLOAT" && args[0] <= 24) t.kind = TypeKind::Real;
            break;
        default:
            break;
    }

    // Column attributes after the type.
    for (; i < toks.size(); ++i) {
        if (toks[i].kind != Token::Word) continue;
        if (toks[i].text == "IDENTITY") {
            t.identity = true;
        } else if (toks[i].text == "GENERATED") {
            t.identity = true;  // GENERATED BY DEFAULT AS IDENTITY
        } else if (toks[i].text == "NOT" && i + 1 < toks.size() && toks[i + 1].text == "NULL") {
            t.not_null = true;
            ++i;
        }
    }
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
