#pragma once
// Streaming CSV tokenizer with pandas C-engine rules (docs/semantics.md#parsing), over decoded
// UTF-8.
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
    // Every field is followed by at least this many readable bytes (of no particular value),
    // so that a 16-byte load starting inside a field stays in bounds.
    static constexpr size_t kReadablePastField = 16;

    size_t size() const { return size_; }
    std::string_view operator[](size_t i) const { return {spans_[i].data, spans_[i].length}; }
    // 1-based physical line where the record starts.
    uint64_t line() const { return line_; }

private:
    friend class CsvReader;
    // Where a field's bytes are: in the reader's buffer, or (quoted fields that needed
    // unescaping) in arena_. Pointers, so that reading a field needs no branch; arena fields
    // get theirs once the record is complete (until then the arena may still grow).
    struct Span {
        const char* data;
        size_t length;
    };
    void add(const Span& s) {
        if (size_ == spans_.size()) [[unlikely]]
            spans_.resize(spans_.size() * 2 + 16);
        spans_[size_++] = s;
    }
    void add_arena(size_t offset, size_t length) {
        arena_fields_.push_back({size_, offset});
        add({nullptr, length});
    }
    void resolve_arena() {
        if (arena_fields_.empty()) return;
        arena_.append(kReadablePastField, '\0');  // before taking pointers: it may reallocate
        for (const ArenaField& f : arena_fields_) spans_[f.index].data = arena_.data() + f.offset;
    }

    std::vector<Span> spans_;  // [0, size_) are the fields; the rest is reused storage
    size_t size_ = 0;
    std::string arena_;  // quoted fields that needed unescaping; reused
    struct ArenaField {
        size_t index;   // into spans_
        size_t offset;  // into arena_
    };
    std::vector<ArenaField> arena_fields_;  // the fields of this record that are in arena_
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
    Step skip_blank_lines(const char*& p);
    Step parse_quoted(Row& row, const char* p, const char*& stop, uint64_t& lines);
    Step parse_escaped_field(Row& row, const char*& p, const char*& stop, uint64_t& lines);
    bool parse_simple(Row& row, const char* p);
    void refill();
    void fill();
    size_t strip_quotes(char* p, size_t n);

    ByteSource& src_;
    char delim_;
    bool strip_quotes_;
    bool quoting_;
    bool escapes_;           // backslash escapes (only without quoting)
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
