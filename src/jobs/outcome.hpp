#pragma once
// Where an object ends up (docs/semantics.md#outcome): a copy under <destination>/good/, or under
// <destination>/bad/ beside a sidecar <key>.error.json saying what failed and where.
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

#include "jobs/selection.hpp"
#include "store/object_store.hpp"
#include "util/error.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

struct Failure {
    FailureStage stage = FailureStage::Transform;
    std::string error;  // what failed, one sentence
    uint64_t line = 0;  // 1-based line of the source object (0 = not applicable)
    uint32_t column = 0;
    std::string column_name;
    std::string value;
    std::string server_message;  // the warehouse's own words, for load failures
    uint64_t batch_line = 0;

    static Failure simple(FailureStage stage, std::string error);
    static Failure from(const DataError& e);             // at the error's own stage
    static Failure from(const warehouse::LoadError& e);  // at the error's own stage
    std::string summary() const;  // one line for logs and the console (format_error)
};

// Thrown by a job's data path when the object must go to bad for a reason of its own (e.g. it
// is empty), after or while its batch is written.
class ObjectRejected : public std::runtime_error {
public:
    ObjectRejected(Failure failure, bool empty)
        : std::runtime_error(failure.error), failure(std::move(failure)), empty(empty) {}
    Failure failure;
    bool empty;  // counts as an empty object in the report
};

// What an exception of the data path or the load says about the object: the failure for its
// sidecar when it is the object's fault (LoadError, DataError, ObjectRejected); nullopt for
// anything else (infrastructure: the object stays unprocessed).
struct Rejection {
    Failure failure;
    bool empty = false;
};
std::optional<Rejection> rejection_of(std::exception_ptr error);

struct ObjectRef {
    std::string job;
    std::string config;
    std::string bucket;
    std::string key;
    ObjectKeys keys;
};

// In both, `listed` is the object as the selection listed it: its size and ETag plan the copy
// on S3 (no HeadObject first).
// move_to_bad writes the sidecar first, then the copy: a crash in between leaves the object
// unprocessed (retried).
void move_to_bad(store::ObjectStore& store, const ObjectRef& object,
                 const store::ObjectInfo& listed, const Failure& failure);
void copy_to_good(store::ObjectStore& store, const ObjectRef& object,
                  const store::ObjectInfo& listed);

}  // namespace gdx::jobs
