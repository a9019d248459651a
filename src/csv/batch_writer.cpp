#include "csv/batch_writer.hpp"

#include <algorithm>

namespace gdx::csv {
namespace {
// Slack past buffer_size so that ordinary rows never make the buffer grow.
constexpr size_t kRowSlack = 64 * 1024;
}  // namespace

BatchWriter::BatchWriter(store::ObjectWriter& out, size_t buffer_size)
    : out_(out),
      buf_(std::max<size_t>(buffer_size, 16) + kRowSlack),
      flush_at_(std::max<size_t>(buffer_size, 16)) {}

void BatchWriter::header(const std::vector<std::string>& names) {
    const uint64_t rows = rows_;
    for (const std::string& n : names) field(n);
    end_row();
    rows_ = rows;
}

void BatchWriter::grow(size_t n) {
    buf_.resize(std::max(2 * buf_.size(), len_ + n + detail::kScanPadding));
}

size_t BatchWriter::escape(char* out, std::string_view text) {
    char* w = out;
    const char* seg = text.data();
    const char* const end = text.data() + text.size();
    for (;;) {
        const char* p = detail::find_any4_bounded(seg, end, '\\', '|', '\n', '\r');
        std::memmove(w, seg, static_cast<size_t>(p - seg));
        w += p - seg;
        if (p == end) break;
        *w++ = '\\';
        *w++ = *p;
        seg = p + 1;
    }
    *w++ = '|';
    return static_cast<size_t>(w - out);
}

void BatchWriter::flush() {
    if (len_ == 0) return;
    // Mid-row, the last byte is the pending separator of the row's last field: keep it, so
    // that end_row can still turn it into the line break.
    const bool pending = len_ > row_start_;
    const size_t n = pending ? len_ - 1 : len_;
    if (n > 0) out_.write(std::string_view(buf_.data(), n));
    flushed_ += n;
    if (pending) buf_[0] = '|';
    len_ -= n;
    row_start_ = 0;
}

}  // namespace gdx::csv
