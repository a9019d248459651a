#include "csv/batch_reader.hpp"

#include "csv/byte_scan.hpp"
#include "util/error.hpp"

namespace gdx::csv {
namespace {
constexpr size_t kChunk = 64 * 1024;
}

BatchReader::BatchReader(ByteSource& src) : src_(src) {
    buf_.resize(kChunk + detail::kScanPadding);
    BatchRow names;
    if (!read_record(names)) throw DataError({"batch has no header line", 1, 0, "", ""});
    header_.reserve(names.size());
    for (size_t i = 0; i < names.size(); ++i) header_.emplace_back(names[i]);
}

bool BatchReader::refill() {
    if (eof_) return false;
    pos_ = 0;
    end_ = src_.read(buf_.data(), kChunk);
    if (end_ == 0) eof_ = true;
    return end_ > 0;
}

bool BatchReader::next(BatchRow& row) {
    if (!read_record(row)) return false;
    if (row.size() != header_.size())
        throw DataError({"batch row has " + std::to_string(row.size()) + " fields, header has " +
                             std::to_string(header_.size()),
                         row.line(), 0, "", ""});
    return true;
}

// Fields are copied unescaped into the row's arena, so records may span chunks freely.
bool BatchReader::read_record(BatchRow& row) {
    row.spans_.clear();
    row.arena_.clear();
    row.line_ = line_;
    if (pos_ == end_ && !refill()) return false;

    size_t field_start = 0;  // arena offset of the current field
    size_t raw_len = 0;      // raw bytes of the current field
    bool starts_with_escaped_n = false;
    auto end_field = [&] {
        const bool null = starts_with_escaped_n && raw_len == 2;
        row.spans_.push_back({field_start, null ? 0 : row.arena_.size() - field_start, null});
        if (null) row.arena_.resize(field_start);
        field_start = row.arena_.size();
        raw_len = 0;
        starts_with_escaped_n = false;
    };

    for (;;) {
        if (pos_ == end_ && !refill())
            throw DataError({"batch record does not end with a newline", row.line_, 0, "", ""});
        const char* const base = buf_.data();
        const char* p = base + pos_;
        const char* const end = base + end_;
        const char* stop = detail::find_any3(p, end, '|', '\n', '\\');
        row.arena_.append(p, static_cast<size_t>(stop - p));
        raw_len += static_cast<size_t>(stop - p);
        pos_ = static_cast<size_t>(stop - base);
        if (stop == end) continue;
        ++pos_;
        if (*stop == '|') {
            end_field();
        } else if (*stop == '\n') {
            end_field();
            ++line_;
            return true;
        } else {  // backslash escape: the next byte is literal (\N alone = NULL)
            if (pos_ == end_ && !refill())
                throw DataError({"batch ends with a lone backslash", line_, 0, "", "\\"});
            const char c = buf_[pos_++];
            if (raw_len == 0 && c == 'N') starts_with_escaped_n = true;
            if (c == '\n') ++line_;
            row.arena_ += c;
            raw_len += 2;
        }
    }
}

}  // namespace gdx::csv
