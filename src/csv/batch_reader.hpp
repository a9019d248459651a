#pragma once
// Reads the batch format (docs/batch-format.md) back: header, then rows of unescaped fields.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "csv/byte_source.hpp"

namespace gdx::csv {

// One batch record. Views stay valid until the next BatchReader::next() on this row.
class BatchRow {
public:
    size_t size() const { return spans_.size(); }
    bool is_null(size_t i) const { return spans_[i].null; }
    // Unescaped text; empty for NULL.
    std::string_view operator[](size_t i) const {
        return {arena_.data() + spans_[i].offset, spans_[i].length};
    }
    // 1-based physical line of the batch where the record starts (header = 1).
    uint64_t line() const { return line_; }

private:
    friend class BatchReader;
    struct Span {
        size_t offset;
        size_t length;
        bool null;
    };
    std::vector<Span> spans_;
    std::string arena_;
    uint64_t line_ = 0;
};

class BatchReader {
public:
    // Reads the header line immediately; throws gdx::DataError if there is none.
    explicit BatchReader(ByteSource& src);

    const std::vector<std::string>& header() const { return header_; }

    // Next data row; false at end. Throws gdx::DataError (with the line) on a trailing lone
    // backslash, a missing final newline or a field count different from the header's.
    bool next(BatchRow& row);

private:
    bool read_record(BatchRow& row);
    bool refill();

    ByteSource& src_;
    std::vector<char> buf_;
    size_t pos_ = 0, end_ = 0;
    bool eof_ = false;
    uint64_t line_ = 1;
    std::vector<std::string> header_;
};

}  // namespace gdx::csv
