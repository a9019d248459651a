// The SQL tokenizer and the Redshift → SQLite/PostgreSQL translator, the UNLOAD literal
// decoder, and the Redshift date functions SQLite runs on table values. The tokens of a
// script are the whole script, in order; translation either succeeds or is a ConfigError.
// Input: flags byte, a date part, '\n', a TO_CHAR format, '\n', then the script (also read
// as a date).
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

#include "fuzz_input.hpp"
#include "util/error.hpp"
#include "warehouse/sql/redshift_datetime.hpp"
#include "warehouse/sql/statements.hpp"
#include "warehouse/sql/tokenizer.hpp"
#include "warehouse/sql/translate.hpp"
#include "warehouse/sql/unload_literal.hpp"

namespace {

using namespace gdx;
using namespace gdx::warehouse::sql;

void tokens_cover_script(std::string_view script) {
    std::string joined;
    for (const Token& t : tokenize(script)) {
        gdx::fuzz::check(!t.text.empty());
        joined += t.text;
        if (t.kind == TokenKind::Word || t.kind == TokenKind::QuotedIdent) identifier_value(t);
    }
    gdx::fuzz::check(joined == script);
}

void translate(std::string_view script, Dialect dialect) {
    try {
        translate_redshift(script, dialect);
    } catch (const ConfigError&) {
    }
}

void date_functions(std::string_view part, int64_t n, std::string_view format,
                    std::string_view value) {
    const auto t = parse_datetime(value);
    if (!t) return;
    format_timestamp(*t);
    format_date(*t);
    to_char(*t, format);
    try {
        date_add(part, n, *t);
        date_diff(part, *t, *t);
        date_trunc(part, *t);
    } catch (const std::invalid_argument&) {
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    gdx::fuzz::FuzzInput in(data, size);
    int64_t n = 0;
    for (int i = 0; i < 4; ++i) n = (n << 8) | in.byte();
    n -= int64_t{1} << 31;  // DATEADD counts around zero, both signs
    const std::string_view part = in.line();
    const std::string_view format = in.line();
    const std::string_view script = in.rest();

    tokens_cover_script(script);
    split_statements(script);
    translate(script, Dialect::SQLite);
    translate(script, Dialect::PostgreSQL);
    try {
        decode_unload_literal(script);
    } catch (const ConfigError&) {
    }
    date_functions(part, n, format, script);
    return 0;
}
