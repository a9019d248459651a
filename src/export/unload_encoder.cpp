#include "export/unload_encoder.hpp"

#include <cctype>

#include "util/error.hpp"

namespace gdx::exports {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

}  // namespace

UnloadEncoder::UnloadEncoder(TextFormat format, PartOpener open_part, uint64_t part_limit)
    : format_(std::move(format)), open_part_(std::move(open_part)), part_limit_(part_limit) {
    buffer_.reserve(kFlushBytes + (64 << 10));
    for (char c : {'\n', '\r', '\\', format_.delimiter})
        special_[static_cast<unsigned char>(c)] = true;
    if (format_.addquotes) special_[unsigned('"')] = special_[unsigned('\'')] = true;
}

void UnloadEncoder::begin(const std::vector<warehouse::QueryColumn>& columns) {
    columns_ = columns;
}

void UnloadEncoder::put_field(std::string_view text, bool character) {
    if (format_.addquotes) buffer_.push_back('"');
    if (format_.escape && character) {
        size_t run = 0;
        for (size_t i = 0; i < text.size(); ++i) {
            if (!special_[static_cast<unsigned char>(text[i])]) continue;
            buffer_.append(text.substr(run, i - run));
            buffer_.push_back('\\');
            run = i;
        }
        buffer_.append(text.substr(run));
    } else {
        buffer_.append(text);
    }
    if (format_.addquotes) buffer_.push_back('"');
}

void UnloadEncoder::end_line() {
    buffer_.push_back('\n');
    if (buffer_.size() >= kFlushBytes) flush();
}

void UnloadEncoder::flush() {
    if (buffer_.empty()) return;
    writer_->write(buffer_);
    bytes_ += buffer_.size();
    part_bytes_ += buffer_.size();
    buffer_.clear();
}

void UnloadEncoder::start_part() {
    writer_ = open_part_(parts_);
    ++parts_;
    part_bytes_ = 0;
    if (!format_.header) return;
    for (size_t i = 0; i < columns_.size(); ++i) {
        if (i) buffer_.push_back(format_.delimiter);
        std::string name = columns_[i].name;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        put_field(name, true);
    }
    end_line();
}

void UnloadEncoder::row(std::span<const warehouse::QueryField> fields) {
    if (fields.size() != columns_.size())
        throw BackendError("query row has " + std::to_string(fields.size()) +
                           " fields, its result has " + std::to_string(columns_.size()) +
                           " columns");
    if (writer_ && part_bytes_ + buffer_.size() >= part_limit_) {
        flush();
        writer_->commit();
        writer_.reset();
    }
    if (!writer_) start_part();
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) buffer_.push_back(format_.delimiter);
        if (fields[i].null)
            put_field(format_.null_as, false);
        else
            put_field(fields[i].text, columns_[i].character);
    }
    ++rows_;
    end_line();
}

void UnloadEncoder::finish() {
    if (!writer_) return;
    flush();
    writer_->commit();
    writer_.reset();
}

}  // namespace gdx::exports
