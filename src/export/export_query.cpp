#include "export/export_query.hpp"

#include <spdlog/spdlog.h>

#include "export/object_names.hpp"
#include "util/crash_point.hpp"
#include "util/error.hpp"

namespace gdx::exports {

ExportResult export_query(warehouse::Warehouse& warehouse, store::ObjectStore& store,
                          const std::string& query, const TextFormat& format,
                          const std::string& bucket, const std::string& key_prefix,
                          uint64_t part_limit) {
    UnloadEncoder encoder(
        format,
        [&](unsigned index) {
            const std::string key = key_prefix + part_suffix(index);
            if (store.head(bucket, key))
                throw BackendError("the export target " + bucket + "/" + key +
                                   " exists already; it is never overwritten");
            spdlog::info("writing {}/{}", bucket, key);
            store::PutOptions encrypted;  // as UNLOAD writes its objects
            encrypted.sse_s3 = true;
            auto out = store.put(bucket, key, encrypted);
            util::crash_point("mid_export");  // the first object is open, nothing committed
            return out;
        },
        part_limit);
    warehouse.stream_query(query, encoder);
    encoder.finish();
    return {encoder.rows(), encoder.parts(), encoder.bytes()};
}

unsigned count_parts(store::ObjectStore& store, const std::string& bucket,
                     const std::string& key_prefix) {
    unsigned n = 0;
    for (const auto& o : store.list(bucket, key_prefix + "_part"))
        if (o.key.size() == key_prefix.size() + 8) ++n;
    return n;
}

}  // namespace gdx::exports
