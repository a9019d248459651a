#pragma once
// Loads a batch while it is being written (DESIGN.md §3, §5): the writer runs on its own thread
// and its bytes go both to the batch object and, through a bounded spool (256 MiB in an unlinked
// file of the temporary directory), into the warehouse's load on the calling thread. The object is
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

// Runs write and load side by side. When both fail, the writer's error is rethrown (it is the
// cause: the load only saw its stream end early); else the load's.
uint64_t load_while_writing(store::ObjectStore& store, const std::string& bucket,
                            const std::string& batch_key, const BatchWriteFn& write,
                            const BatchLoadFn& load);

}  // namespace gdx::jobs
