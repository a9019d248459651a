#include "csv/batch_writer.hpp"

#include <algorithm>
#include <cstring>

#include "csv/byte_scan.hpp"

namespace gdx::csv {

BatchWriter::BatchWriter(store::ObjectWriter& out, size_t buffer_size)
    : out_(out), buf_(std::max<size_t>(buffer_size, 16)) {}

void BatchWriter::header(const std::vector<std::string>& names) {
    const uint64_t rows = rows_;
    for (const std::string& n : names) field(n);
    end_row();
    rows_ = rows;
}

char* BatchWriter::reserve(size_t n) {
    if (len_ + n > buf_.size()) {
        flush();
        if (n > buf_.size()) buf_.resize(n);
    }
    return buf_.data() + len_;
}

void BatchWriter::separate() {
    if (!row_empty_) *reserve(1) = '|', ++len_;
    row_empty_ = false;
}

void BatchWriter::field(std::string_view text) {
    separate();
    // Worst case every byte is escaped.
    char* out = reserve(2 * text.size());
    char* const start = out;
    const char* seg = text.data();
    const char* const end = seg + text.size();
    for (;;) {
        const char* p = detail::find_any4_bounded(seg, end, '\\', '|', '\n', '\r');
        std::memcpy(out, seg, static_cast<size_t>(p - seg));
        out += p - seg;
        if (p == end) break;
        *out++ = '\\';
        *out++ = *p;
        seg = p + 1;
    }
    len_ += static_cast<size_t>(out - start);
}

void BatchWriter::null_field() {
    separate();
    std::memcpy(reserve(2), "\\N", 2);
    len_ += 2;
}

void BatchWriter::end_row() {
    *reserve(1) = '\n';
    ++len_;
    row_empty_ = true;
    ++rows_;
}

void BatchWriter::flush() {
    if (len_ == 0) return;
    out_.write(std::string_view(buf_.data(), len_));
    flushed_ += len_;
    len_ = 0;
}

}  // namespace gdx::csv
