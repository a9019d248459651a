#pragma once
// Reading the batch object (docs/batch-format.md) from its stream: the header that names the
// columns, and — only after a failed load — the record the server complained about.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/object_store.hpp"

namespace gdx::warehouse::pg {

// Splits one record (without its terminating LF) into fields, undoing the backslash escapes.
// A field that is exactly \N is NULL (nullopt).
std::vector<std::optional<std::string>> split_batch_record(std::string_view record);

// Reads until the end of the header line. `consumed` receives every byte read so far (the
// header and possibly the start of the data), to be sent on before the rest of the stream.
// Throws LoadError when the object is empty or has no complete header line.
std::vector<std::string> read_batch_header(store::ObjectReader& reader, std::string& consumed);

struct BatchRecord {
    uint64_t physical_line = 0;  // 1-based line of the batch object where the record starts
    std::vector<std::optional<std::string>> fields;
};

// Finds record number `record_no` (1-based, the header is record 1) by scanning the stream.
// Records can span several physical lines (escaped LF). nullopt when the stream is shorter.
std::optional<BatchRecord> find_batch_record(store::ObjectReader& reader, uint64_t record_no);

}  // namespace gdx::warehouse::pg
