#pragma once
// The export itself on a warehouse without UNLOAD: the query's rows streamed from the
// warehouse, through the UNLOAD text encoder, into <key prefix>_part000 (…_part001 past
// 6.2 GB) of the store. An existing part is never overwritten, as UNLOAD without
// ALLOWOVERWRITE.
#include <cstdint>
#include <string>

#include "export/unload_encoder.hpp"
#include "store/object_store.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::exports {

struct ExportResult {
    uint64_t rows = 0;
    unsigned parts = 0;  // 0: the query returned no rows, no object was written
    uint64_t bytes = 0;
};

ExportResult export_query(warehouse::Warehouse& warehouse, store::ObjectStore& store,
                          const std::string& query, const TextFormat& format,
                          const std::string& bucket, const std::string& key_prefix,
                          uint64_t part_limit = kMaxPartBytes);

// Parts <key prefix>_partNNN present in the store (after Redshift's UNLOAD).
unsigned count_parts(store::ObjectStore& store, const std::string& bucket,
                     const std::string& key_prefix);

}  // namespace gdx::exports
