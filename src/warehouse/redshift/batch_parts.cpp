#include "warehouse/redshift/batch_parts.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "util/error.hpp"
#include "warehouse/postgres/batch_text.hpp"
#include "warehouse/redshift/redshift_sql.hpp"

namespace gdx::warehouse::redshift {
namespace {

uint64_t ceil_div(uint64_t a, uint64_t b) {
    return (a + b - 1) / b;
}

// The backslashes right before position `p` of `d`, plus the unpaired one carried in from the
// previous write when the run reaches the start: odd means the byte at `p` is escaped.
bool escaped_at(const char* d, size_t p, bool carried) {
    size_t run = 0;
    while (run < p && d[p - 1 - run] == '\\') ++run;
    if (run == p && carried) ++run;
    return run % 2 == 1;
}

}  // namespace

PartPlan plan_parts(uint64_t expected_bytes, uint64_t slices) {
    slices = std::max<uint64_t>(slices, 1);
    const uint64_t expected = std::max<uint64_t>(expected_bytes, 1);
    PartPlan plan;
    plan.parts = slices * ceil_div(expected, slices * kMaxPartInput);
    // Too small for one part per slice (so fewer than `slices` parts fit): no multiple exists.
    if (ceil_div(expected, plan.parts) < kMinPartInput)
        plan.parts = std::max<uint64_t>(expected / kMinPartInput, 1);
    plan.part_bytes = std::min(ceil_div(expected, plan.parts), kMaxPartInput);
    return plan;
}

std::string part_key(const std::string& batch_key, size_t index) {
    return fmt::format("{}.{:04}.zst", batch_key, index + 1);
}

std::string manifest_key(const std::string& batch_key) {
    return batch_key + ".manifest";
}

std::optional<uint64_t> batch_line_of(const BatchLayout& layout, std::string_view file_name,
                                      uint64_t part_line) {
    const BatchPart* found = nullptr;
    for (const BatchPart& part : layout.parts) {
        const std::string url = fmt::format("s3://{}/{}", layout.bucket, part.key);
        if (url == file_name) {
            found = &part;
            break;
        }
        // The error views hold 256 characters: a longer name is cut, and matches only if no
        // other part shares the cut prefix.
        if (!file_name.empty() && url.size() > file_name.size() && url.starts_with(file_name)) {
            if (found) return std::nullopt;
            found = &part;
        }
    }
    if (!found || part_line < 2) return std::nullopt;
    return found->first_line + (part_line - 2);
}

PartedBatchWriter::PartedBatchWriter(store::ObjectStore& store, std::string bucket,
                                     std::string batch_key, PartPlan plan, int zstd_level,
                                     std::function<void(BatchLayout)> on_commit)
    : store_(store),
      batch_key_(std::move(batch_key)),
      plan_(plan),
      level_(zstd_level),
      on_commit_(std::move(on_commit)) {
    layout_.bucket = std::move(bucket);
    layout_.manifest_key = manifest_key(batch_key_);
    if (plan_.part_bytes == 0) plan_.part_bytes = kMaxPartInput;
}

PartedBatchWriter::~PartedBatchWriter() = default;

void PartedBatchWriter::take_header(std::string_view& bytes) {
    size_t pos = 0;
    while (pos < bytes.size()) {
        const void* lf = std::memchr(bytes.data() + pos, '\n', bytes.size() - pos);
        if (!lf) break;
        const size_t p = static_cast<size_t>(static_cast<const char*>(lf) - bytes.data());
        pos = p + 1;
        if (escaped_at(bytes.data(), p, escaped_)) continue;
        header_.append(bytes.substr(0, pos));
        bytes.remove_prefix(pos);
        header_done_ = true;
        escaped_ = false;
        for (auto& name :
             pg::split_batch_record(std::string_view(header_).substr(0, header_.size() - 1)))
            layout_.columns.push_back(name.value_or("\\N"));
        return;
    }
    header_.append(bytes);
    escaped_ = escaped_at(header_.data(), header_.size(), false);
    bytes = {};
}

void PartedBatchWriter::open_part() {
    BatchPart part;
    part.key = part_key(batch_key_, layout_.parts.size());
    part.first_line = next_line_;
    layout_.parts.push_back(std::move(part));
    object_ = store_.put(layout_.bucket, layout_.parts.back().key);
    part_ = std::make_unique<store::ZstdWriter>(*object_, level_);
    part_->write(header_);
}

void PartedBatchWriter::close_part() {
    part_->commit();
    BatchPart& part = layout_.parts.back();
    part.bytes_in = part_->bytes_in();
    part.bytes_out = part_->bytes_out();
    next_line_ += part.rows;
    layout_.rows += part.rows;
    part_.reset();
    object_.reset();
}

void PartedBatchWriter::emit(std::string_view bytes) {
    if (bytes.empty()) return;
    if (!part_) open_part();
    part_->write(bytes);
}

void PartedBatchWriter::write(std::string_view bytes) {
    if (committed_) throw std::logic_error("PartedBatchWriter::write after commit");
    if (!header_done_) {
        take_header(bytes);
        if (bytes.empty()) return;
    }
    const char* d = bytes.data();
    const size_t n = bytes.size();
    const bool carried = escaped_;
    size_t seg = 0;  // first byte not yet handed to a part
    size_t pos = 0;
    while (pos < n) {
        const void* lf = std::memchr(d + pos, '\n', n - pos);
        if (!lf) break;
        const size_t p = static_cast<size_t>(static_cast<const char*>(lf) - d);
        pos = p + 1;
        if (escaped_at(d, p, carried)) continue;  // a line feed inside a field
        if (!part_) open_part();
        layout_.parts.back().rows++;
        // Rows only: the header each part repeats does not count, so that a batch of the
        // planned size makes exactly the planned parts.
        if (part_->bytes_in() - header_.size() + (pos - seg) >= plan_.part_bytes) {
            emit(bytes.substr(seg, pos - seg));
            close_part();
            seg = pos;
        }
    }
    emit(bytes.substr(seg));
    escaped_ = escaped_at(d, n, carried);
}

void PartedBatchWriter::commit() {
    if (committed_) return;
    if (!header_done_) throw BackendError("batch " + batch_key_ + " has no complete header line");
    if (!part_ && layout_.parts.empty()) open_part();  // no rows: one part with the header
    if (part_) close_part();
    std::vector<std::string> keys;
    for (const BatchPart& part : layout_.parts) keys.push_back(part.key);
    store_.put_bytes(layout_.bucket, layout_.manifest_key, manifest_json(layout_.bucket, keys));
    committed_ = true;
    if (on_commit_) on_commit_(layout_);
}

}  // namespace gdx::warehouse::redshift
