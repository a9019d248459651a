#pragma once
// What the Google jobs share below their orchestration: where a source resumes (the
// warehouse's MAX(date) for it), finishing objects a crashed run committed but never marked,
// and loading an object the job has just stored through the shared loader (ledger, batch,
// good/bad with sidecar), appended to the job's table.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <date/date.h>

#include "jobs/loader_run.hpp"
#include "jobs/transform_object.hpp"
#include "types/column_type.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

// SELECT MAX(date) FROM table WHERE column = 'value'; nullopt when the table holds nothing for
// it. `value` must not contain a backslash (Redshift reads one as an escape).
std::optional<date::sys_days> last_loaded_date(warehouse::Warehouse& warehouse,
                                               const std::string& table, const std::string& column,
                                               const std::string& value);

// SELECT column, MAX(date) FROM table GROUP BY column: the resume date of every source at
// once (one scan instead of one per source).
std::map<std::string, date::sys_days> last_loaded_dates(warehouse::Warehouse& warehouse,
                                                        const std::string& table,
                                                        const std::string& column);

// Finishes the objects under `prefix` matching `doc` (a regex on the key) that have a ledger
// row but no good copy: a run that crashed between COMMIT and the copy.
void repair_leftovers(LoaderRun& run, const std::string& bucket, const std::string& prefix,
                      const std::string& doc, const std::string& destination);

// The last (in key order) object whose key starts with `key_start` that a run stored but never
// loaded: no ledger row, no good or bad copy (the run was killed, or stopped, between storing it
// and its COMMIT). An API job loads it before fetching its days again, so that a crash leaves no
// object behind and no day is fetched twice.
std::optional<store::ObjectInfo> unloaded_object(LoaderRun& run, const std::string& bucket,
                                                 const std::string& key_start,
                                                 const std::string& destination);

// Thrown by an API job's loop when SIGINT arrived (util::interrupted()): the current window or
// location is not loaded.
struct Interrupted {};

// Runs an API job's fetch-and-load loop and returns its exit code: the loop's own, or
// util::kInterruptedExit after Interrupted (`interrupted` is set for the report), or 1 after a
// BackendError that stops the run (no token, a listing that failed for good, the store or the
// warehouse), printed once. `what_stops` names what is not processed after SIGINT.
int run_api_loop(const std::function<int()>& loop, bool& interrupted,
                 const std::string& what_stops);

struct StoredLoad {
    ObjectOutcome outcome;
    std::string url;  // s3://bucket/key, for the report
};

// Loads the object `key` just written to the store: read back through `spec` into a batch,
// appended to `table` in one transaction with its ledger row, then copied to good (or to bad
// with a sidecar). Throws BackendError when the object is not there.
StoredLoad load_stored_object(LoaderRun& run, const std::string& bucket,
                              const std::string& destination, const std::string& key,
                              const TransformSpec& spec, const std::string& table);

}  // namespace gdx::jobs
