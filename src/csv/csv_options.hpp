#pragma once
#include <cstddef>

namespace gdx::csv {

struct CsvOptions {
    char delimiter = ',';
    // Delete every '"' before tokenising (the original's strip_quotes: quotes lose all meaning).
    bool strip_quotes = false;
    // Initial read buffer; grows when a single record does not fit.
    size_t buffer_size = 1 << 20;
};

}  // namespace gdx::csv
