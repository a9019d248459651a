#include "warehouse/postgres/identifiers.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "util/error.hpp"

namespace gdx::warehouse::pg {

namespace {

bool ident_start(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool ident_char(char c) {
    return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

[[noreturn]] void bad_name(std::string_view table, std::string_view why) {
    throw ConfigError(fmt::format("invalid table name '{}': {}", table, why));
}

// Reads one identifier part starting at pos; advances pos past it.
std::string read_part(std::string_view table, size_t& pos) {
    std::string out;
    if (pos < table.size() && table[pos] == '"') {
        ++pos;
        for (;;) {
            if (pos >= table.size()) bad_name(table, "unterminated quoted identifier");
            char c = table[pos++];
            if (c == '"') {
                if (pos < table.size() && table[pos] == '"') {
                    out += '"';
                    ++pos;
                    continue;
                }
                break;
            }
            if (c == '\0') bad_name(table, "NUL in identifier");
            // Redshift folds quoted identifiers too (docs/redshift.md, "Identifiers").
            out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
        }
        if (out.empty()) bad_name(table, "empty quoted identifier");
        return out;
    }
    if (pos >= table.size() || !ident_start(table[pos])) bad_name(table, "expected an identifier");
    while (pos < table.size() && ident_char(table[pos])) {
        char c = table[pos++];
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

}  // namespace

std::string quote_ident(std::string_view ident) {
    std::string out;
    out.reserve(ident.size() + 2);
    out += '"';
    for (char c : ident) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string QualifiedName::sql() const {
    if (schema.empty()) return quote_ident(name);
    return quote_ident(schema) + "." + quote_ident(name);
}

QualifiedName QualifiedName::with_suffix(std::string_view suffix) const {
    // The server silently truncates names to 63 bytes, which could make the scratch and the
    // old name collide: shorten the base and keep it unique with a hash of the full name.
    constexpr size_t kMaxIdent = 63;
    if (name.size() + suffix.size() <= kMaxIdent) {
        return QualifiedName{schema, name + std::string(suffix)};
    }
    uint64_t h = 14695981039346656037ull;  // FNV-1a
    for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
    std::string base = name.substr(0, kMaxIdent - suffix.size() - 9);
    while (!base.empty() && (static_cast<unsigned char>(base.back()) & 0xC0) == 0x80)
        base.pop_back();
    if (!base.empty() && static_cast<unsigned char>(base.back()) >= 0xC0) base.pop_back();
    return QualifiedName{schema, fmt::format("{}_{:08x}{}", base, h & 0xffffffffu, suffix)};
}

QualifiedName parse_table_name(std::string_view table) {
    size_t pos = 0;
    std::string first = read_part(table, pos);
    if (pos == table.size()) return QualifiedName{"", std::move(first)};
    if (table[pos] != '.') bad_name(table, "unexpected character");
    ++pos;
    std::string second = read_part(table, pos);
    if (pos != table.size()) bad_name(table, "expected schema.table");
    return QualifiedName{std::move(first), std::move(second)};
}

}  // namespace gdx::warehouse::pg
