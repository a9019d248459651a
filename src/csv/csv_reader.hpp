#pragma once
// Streaming CSV tokenizer with pandas C-engine rules (spec §19.1), over decoded UTF-8.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "csv/byte_source.hpp"
#include "csv/csv_options.hpp"

namespace gdx::csv {

// One record. Field views stay valid until the next CsvReader::next() on this row.
class Row {
public:
    size_t size() const { return size_; }
    std::string_view operator[](size_t i) const {
        const Span& s = spans_[i];
        return {(s.in_arena ? arena_.data() : base_) + s.offset, s.length};
    }
    // 1-based physical line where the record starts.
    uint64_t line() const { return line_; }

private:
    friend class CsvReader;
    struct Span {
        size_t offset;  // into the reader's buffer, or into arena_ for unescaped fields
        size_t length;
        bool in_arena;
    };
    void add(const Span& s) {
        if (size_ == spans_.size()) [[unlikely]]
            spans_.resize(spans_.size() * 2 + 16);
        spans_[size_++] = s;
    }

    std::vector<Span> spans_;  // [0, size_) are the fields; the rest is reused storage
    size_t size_ = 0;
    std::string arena_;  // quoted fields that needed unescaping; reused across rows
    const char* base_ = nullptr;
    uint64_t line_ = 0;
};

class CsvReader {
public:
    CsvReader(ByteSource& utf8, const CsvOptions& options);

    // Reads the next record into `row`; false at end of input. Blank and whitespace-only
    // lines are skipped. Throws gdx::DataError for an unterminated quoted field.
    bool next(Row& row);

    // Bytes of the source consumed up to the end of the last returned record (with
    // strip_quotes: bytes after the quotes were deleted).
    uint64_t bytes_consumed() const { return consumed_before_buffer_ + pos_; }

private:
    enum class Step { Record, NeedMore, End };
    Step parse(Row& row);
    bool parse_simple(Row& row, const char* p);
    void refill();
    void fill();
    size_t strip_quotes(char* p, size_t n);

    ByteSource& src_;
    char delim_;
    bool strip_quotes_;
    bool simple_;            // parse_simple applies: the delimiter is no quote or line break
    std::vector<char> buf_;  // capacity_ bytes + scan padding
    size_t capacity_;
    size_t pos_ = 0;  // start of the unconsumed data (next record)
    size_t end_ = 0;  // end of valid data
    bool eof_ = false;
    bool started_ = false;
    uint64_t line_ = 1;  // physical line at pos_
    uint64_t consumed_before_buffer_ = 0;
};

}  // namespace gdx::csv
