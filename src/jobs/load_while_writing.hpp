#pragma once
// Loads a batch while it is being written (docs/semantics.md#streaming,
// #exactly-once): the writer runs on its own thread
// and its bytes go both to the batch object and, through a bounded spool (see
// spool_bytes_from_env), into the warehouse's load on the calling thread. The object is
// committed before the load sees the end of the stream, so a load that commits always has its batch
// object (the exactly-once rules hold).
#include <cstdint>
#include <functional>
#include <string>

#include "store/object_store.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

// Writes the batch bytes. May throw (DataError, BackendError, ObjectRejected): the batch
// object is then abandoned and the load sees the same error.
using BatchWriteFn = std::function<void(store::ObjectWriter&)>;
// Loads the batch; returns the rows loaded.
using BatchLoadFn = std::function<uint64_t(const warehouse::BatchRef&)>;

// How far the writer may run ahead of the load: GDX_SPOOL_MB (default 256) MiB, spooled to an
// unlinked file in $TMPDIR, else /var/tmp; 0 keeps a 4 MiB buffer in memory instead. Throws
// ConfigError for a malformed value.
size_t spool_bytes_from_env();

// Runs write and load side by side. When both fail, the writer's error is rethrown (it is the
// cause: the load only saw its stream end early); else the load's. The batch of a source object
// of at most 1 MiB (`source_bytes`) goes through a buffer in memory of up to 4 MiB instead of
// the spool; if it outgrows it, the writer waits for the load.
uint64_t load_while_writing(store::ObjectStore& store, const std::string& bucket,
                            const std::string& batch_key, const BatchWriteFn& write,
                            const BatchLoadFn& load, size_t spool_bytes = 256u << 20,
                            uint64_t source_bytes = UINT64_MAX);

}  // namespace gdx::jobs
