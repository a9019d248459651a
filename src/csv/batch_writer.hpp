#pragma once
// Writes the batch format (docs/batch-format.md): '|'-separated, backslash-escaped, \N = NULL.
// The per-field path is inline and branch-light: every field is copied into the buffer with
// its separator written after it (end_row turns the last one into the line break), checked
// for bytes that need escaping on the way, and the rare field that has one is rewritten.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "csv/byte_scan.hpp"
#include "store/object_store.hpp"

namespace gdx::csv {

class BatchWriter {
public:
    explicit BatchWriter(store::ObjectWriter& out, size_t buffer_size = 1 << 20);

    // Line 1: the column names (escaped like fields).
    void header(const std::vector<std::string>& names);
    // One field of the current row; `\`, `|`, LF and CR are escaped with a backslash.
    void field(std::string_view text) {
        const size_t n = text.size();
        // Room for the worst case (every byte escaped), the separator and the scan padding.
        if (buf_.size() - len_ < 2 * n + 1 + detail::kScanPadding) [[unlikely]]
            grow(2 * n + 1);
        char* const out = buf_.data() + len_;
        if (detail::copy_has_batch_special(out, text.data(), n)) [[unlikely]] {
            len_ += escape(out, text);
            return;
        }
        out[n] = '|';
        len_ += n + 1;
    }
    // Several fields at once, already joined by '|' (input fields that lay side by side in a
    // '|'-delimited source), and the separator after them. The fields must hold no '|' of
    // their own. False, with nothing written, when a byte needs escaping (\\, LF, CR): then
    // write the fields one by one with field().
    bool joined_fields(std::string_view text) {
        const size_t n = text.size();
        if (buf_.size() - len_ < n + 1 + detail::kScanPadding) [[unlikely]]
            grow(n + 1);
        char* const out = buf_.data() + len_;
        if (detail::copy_has_break_or_backslash(out, text.data(), n)) [[unlikely]]
            return false;
        out[n] = '|';
        len_ += n + 1;
        return true;
    }
    // SQL NULL, written as \N.
    void null_field() {
        if (buf_.size() - len_ < 3) [[unlikely]]
            grow(3);
        std::memcpy(buf_.data() + len_, "\\N|", 3);
        len_ += 3;
    }
    void end_row() {
        if (len_ > row_start_) {
            buf_[len_ - 1] = '\n';  // the last field's separator
        } else {
            if (buf_.size() == len_) [[unlikely]]
                grow(1);
            buf_[len_++] = '\n';  // a row without fields
        }
        ++rows_;
        const size_t row_bytes = len_ - row_start_;
        row_start_ = len_;
        if (len_ + 2 * row_bytes > flush_at_) flush();  // as long a row might not fit
    }
    // Pushes buffered bytes to `out`; does not commit. Also happens at the end of a row when
    // another row as long, fully escaped, might not fit in buffer_size (a row in progress may grow
    // the buffer). The destructor does not flush: call flush() before committing.
    void flush();

    uint64_t rows() const { return rows_; }             // data rows ended so far (header excluded)
    uint64_t bytes() const { return flushed_ + len_; }  // written, buffered included

private:
    // Makes room for `n` more bytes plus scan padding, keeping the buffered ones.
    void grow(size_t n);
    // Writes `text` escaped at `out`, then its separator; returns the bytes written.
    size_t escape(char* out, std::string_view text);

    store::ObjectWriter& out_;
    std::vector<char> buf_;
    size_t flush_at_;
    size_t len_ = 0;
    size_t row_start_ = 0;  // where the current row begins in buf_
    uint64_t rows_ = 0;
    uint64_t flushed_ = 0;
};

}  // namespace gdx::csv
