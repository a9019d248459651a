#include "warehouse/sql/unload_literal.hpp"

#include <fmt/format.h>

#include <cctype>

#include "util/error.hpp"

namespace gdx::warehouse::sql {

std::string decode_unload_literal(std::string_view dml) {
    std::string out;
    out.reserve(dml.size());
    size_t line = 1;
    for (size_t i = 0; i < dml.size(); ++i) {
        const char c = dml[i];
        if (c == '\n') ++line;
        if (c == '\'' && i + 1 < dml.size() && dml[i + 1] == '\'') {
            out += '\'';
            ++i;
        } else if (c == '\\' && i + 1 < dml.size()) {
            const char next = dml[i + 1];
            const bool control = std::string_view("bfnrtv").find(next) != std::string_view::npos;
            if (next == '\'' || next == '\\' ||
                (std::isalpha(static_cast<unsigned char>(next)) && !control)) {
                out += next;
                ++i;
            } else {
                throw ConfigError(fmt::format(
                    "DML line {}: the escape \\{} has no agreed meaning outside UNLOAD's literal",
                    line, next));
            }
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace gdx::warehouse::sql
