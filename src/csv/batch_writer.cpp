#include "csv/batch_writer.hpp"

#include <algorithm>
#include <array>

namespace gdx::csv {
namespace {

constexpr std::array<bool, 256> make_escape_table() {
    std::array<bool, 256> t{};
    t['\\'] = t['|'] = t['\n'] = t['\r'] = true;
    return t;
}
constexpr std::array<bool, 256> kNeedsEscape = make_escape_table();

}  // namespace

BatchWriter::BatchWriter(store::ObjectWriter& out, size_t buffer_size)
    : out_(out), buffer_size_(std::max<size_t>(buffer_size, 1)) {
    buf_.reserve(buffer_size_ + 64);
}

void BatchWriter::header(const std::vector<std::string>& names) {
    const uint64_t rows = rows_;
    for (const std::string& n : names) field(n);
    end_row();
    rows_ = rows;
}

void BatchWriter::separate() {
    if (!row_empty_) buf_ += '|';
    row_empty_ = false;
}

void BatchWriter::field(std::string_view text) {
    separate();
    const char* seg = text.data();
    const char* const end = seg + text.size();
    for (const char* p = seg; p < end; ++p) {
        if (kNeedsEscape[static_cast<unsigned char>(*p)]) {
            buf_.append(seg, static_cast<size_t>(p - seg));
            buf_ += '\\';
            buf_ += *p;
            seg = p + 1;
        }
    }
    buf_.append(seg, static_cast<size_t>(end - seg));
    maybe_flush();
}

void BatchWriter::null_field() {
    separate();
    buf_ += "\\N";
    maybe_flush();
}

void BatchWriter::end_row() {
    buf_ += '\n';
    row_empty_ = true;
    ++rows_;
    maybe_flush();
}

void BatchWriter::flush() {
    if (buf_.empty()) return;
    out_.write(buf_);
    flushed_ += buf_.size();
    buf_.clear();
}

}  // namespace gdx::csv
