#include "warehouse/postgres/batch_text.hpp"

#include "warehouse/warehouse.hpp"

namespace gdx::warehouse::pg {

namespace {
constexpr size_t kChunk = 1 << 16;
}

std::vector<std::optional<std::string>> split_batch_record(std::string_view record) {
    std::vector<std::optional<std::string>> fields;
    std::string field;
    bool raw_null = false;  // the raw text so far is exactly "\N"
    size_t raw_len = 0;
    auto finish = [&] {
        if (raw_null && raw_len == 2) {
            fields.emplace_back(std::nullopt);
        } else {
            fields.emplace_back(std::move(field));
        }
        field.clear();
        raw_null = false;
        raw_len = 0;
    };
    for (size_t i = 0; i < record.size(); ++i) {
        char c = record[i];
        if (c == '|') {
            finish();
            continue;
        }
        if (c == '\\' && i + 1 < record.size()) {
            char next = record[++i];
            raw_null = raw_len == 0 && next == 'N';
            raw_len += 2;
            field += next;
            continue;
        }
        ++raw_len;
        field += c;
    }
    finish();
    return fields;
}

std::vector<std::string> read_batch_header(store::ObjectReader& reader, std::string& consumed) {
    consumed.clear();
    size_t scanned = 0;
    bool escaped = false;
    for (;;) {
        for (; scanned < consumed.size(); ++scanned) {
            char c = consumed[scanned];
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '\n') {
                std::vector<std::string> names;
                for (auto& f : split_batch_record(std::string_view(consumed).substr(0, scanned))) {
                    names.push_back(f.value_or("\\N"));
                }
                return names;
            }
        }
        size_t old = consumed.size();
        consumed.resize(old + kChunk);
        size_t n = reader.read(consumed.data() + old, kChunk);
        consumed.resize(old + n);
        if (n == 0) {
            throw LoadError(consumed.empty() ? "the batch object is empty"
                                             : "the batch object has no complete header line",
                            1);
        }
    }
}

std::optional<BatchRecord> find_batch_record(store::ObjectReader& reader, uint64_t record_no) {
    uint64_t record = 1;
    uint64_t line = 1;
    uint64_t start_line = 1;
    bool escaped = false;
    std::string current;
    std::string buf(kChunk, '\0');
    for (;;) {
        size_t n = reader.read(buf.data(), buf.size());
        if (n == 0) break;
        for (size_t i = 0; i < n; ++i) {
            char c = buf[i];
            if (record == record_no) current += c;
            if (c == '\n') ++line;
            if (escaped) {
                escaped = false;
                continue;
            }
            if (c == '\\') {
                escaped = true;
            } else if (c == '\n') {
                if (record == record_no) {
                    current.pop_back();
                    return BatchRecord{start_line, split_batch_record(current)};
                }
                ++record;
                start_line = line;
            }
        }
    }
    if (record == record_no && !current.empty()) {
        return BatchRecord{start_line, split_batch_record(current)};
    }
    return std::nullopt;
}

}  // namespace gdx::warehouse::pg
