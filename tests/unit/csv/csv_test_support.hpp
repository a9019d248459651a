#pragma once
// Shared helpers for the csv unit tests.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "csv/byte_source.hpp"
#include "csv/csv_reader.hpp"
#include "store/object_store.hpp"
#include "string_writer.hpp"
#include "util/error.hpp"

namespace gdx::csv::test {

using Rows = std::vector<std::vector<std::string>>;

struct Parsed {
    Rows rows;
    std::vector<uint64_t> lines;
    uint64_t bytes_consumed = 0;
};

inline Parsed parse_all(ByteSource& src, const CsvOptions& opt) {
    CsvReader reader(src, opt);
    Parsed out;
    Row row;
    while (reader.next(row)) {
        std::vector<std::string> fields;
        for (size_t i = 0; i < row.size(); ++i) fields.emplace_back(row[i]);
        out.rows.push_back(std::move(fields));
        out.lines.push_back(row.line());
    }
    out.bytes_consumed = reader.bytes_consumed();
    return out;
}

inline Parsed parse_all(std::string_view text, CsvOptions opt = {},
                        size_t max_chunk = static_cast<size_t>(-1)) {
    StringSource src(text, max_chunk);
    return parse_all(src, opt);
}

// Runs `fn`, expects a DataError and returns its info.
inline DataErrorInfo expect_data_error(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const DataError& e) {
        return e.info();
    }
    ADD_FAILURE() << "expected gdx::DataError";
    return {};
}

using gdx::test::StringWriter;

}  // namespace gdx::csv::test
