#pragma once
#include <cstddef>

namespace gdx::csv {

struct CsvOptions {
    char delimiter = ',';
    // Delete every '"' before tokenising (the original's strip_quotes: quotes lose all meaning).
    bool strip_quotes = false;
    // false: '"' is an ordinary character (the plain-text format of COPY without CSV, which the
    // Google jobs' objects use); fields end only at the delimiter or a line break.
    bool quoting = true;
    // With quoting = false: a backslash escapes the next character, as Redshift COPY's ESCAPE
    // option reads it (`\|` is a '|' inside the field, `\` + LF a line feed, `\\` one '\').
    bool backslash_escapes = false;
    // Initial read buffer; grows when a single record does not fit.
    size_t buffer_size = 1 << 20;
};

}  // namespace gdx::csv
