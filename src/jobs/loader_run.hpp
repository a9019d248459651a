#pragma once
// The skeleton every loader job shares (docs/semantics.md#load to
// #exactly-once): the backends, the report,
// and the exactly-once commit of one object (claim, load, ledger row, COMMIT, copy to good).
// A job file only says what to transform and which tables to load.
#include <functional>
#include <future>
#include <memory>
#include <string>

#include "jobs/object_prefetch.hpp"
#include "jobs/outcome.hpp"
#include "jobs/run_options.hpp"
#include "jobs/selection.hpp"
#include "jobs/source_lines.hpp"
#include "store/object_store.hpp"
#include "util/report.hpp"
#include "util/retry.hpp"
#include "warehouse/warehouse.hpp"

namespace gdx::jobs {

enum class ObjectOutcome { Good, Bad, LoadedElsewhere };

class LoaderRun {
public:
    LoaderRun(const RunOptions& options, std::string job_name);

    // Opens the store and the warehouse named by the options (or GDX_STORE / GDX_WAREHOUSE,
    // or the embedded defaults).
    void open_backends(const warehouse::WarehouseOptions& wopts = {});
    // Uses these backends instead (tests: a warehouse wrapped to change one behaviour);
    // `prefetch_store`, when given, fetches the next object ahead (see open_object).
    void use_backends(std::unique_ptr<store::ObjectStore> store,
                      std::unique_ptr<warehouse::Warehouse> warehouse,
                      std::unique_ptr<store::ObjectStore> prefetch_store = nullptr);
    store::ObjectStore& store() { return *store_; }
    warehouse::Warehouse& warehouse() { return *warehouse_; }
    util::RunReport& report() { return report_; }
    const RunOptions& options() const { return options_; }

    // Opens a selected object for reading. Inside process_objects, the object after it is
    // fetched meanwhile (GDX_PREFETCH_MB, jobs/object_prefetch.hpp), so that its GET overlaps
    // this object's load; its own bytes come from that fetch when it was fetched ahead. Either
    // way the bytes read are checked against the listed size (ObjectStore::get_listed).
    std::unique_ptr<store::ObjectReader> open_object(const ObjectRef& ref,
                                                     const store::ObjectInfo& object);

    ObjectRef object_ref(const std::string& bucket, const std::string& destination,
                         const std::string& key) const;

    // Records a selection in the report and logs what is skipped.
    void begin_objects(const Selection& selection);

    // One transaction: claim the object, run `load` (which loads its batches and returns the
    // rows loaded), write the ledger row, COMMIT, then copy the object to good. A LoadError (a
    // failing post-load statement included), DataError or ObjectRejected rolls back and moves
    // the object to bad.
    ObjectOutcome commit_object(const store::ObjectInfo& object, const ObjectRef& ref,
                                const std::function<uint64_t(warehouse::Transaction&)>& load);
    // Writes the object's batch and loads it in one transaction with its ledger row, then copies
    // the object to good; a DataError or ObjectRejected from write, or a LoadError from load,
    // sends it to bad instead. When the warehouse loads while writing, the two run side by side
    // inside the transaction (BEGIN; claim; write ∥ load; ledger; COMMIT); otherwise the batch
    // is written before BEGIN (Redshift fetches it from the store). When `write` fills
    // `source_lines`, a row the warehouse rejects is reported at its source object's line.
    ObjectOutcome load_object(
        const store::ObjectInfo& object, const ObjectRef& ref,
        const std::function<void(store::ObjectWriter&)>& write,
        const std::function<uint64_t(warehouse::Transaction&, const warehouse::BatchRef&)>& load,
        const SourceLines* source_lines = nullptr);
    // For a job that writes several batch objects: runs `write_batches` (which writes and commits
    // them) before the transaction; a DataError or ObjectRejected sends the object to bad. Then
    // commit_object(object, ref, load).
    ObjectOutcome write_then_commit(const store::ObjectInfo& object, const ObjectRef& ref,
                                    const std::function<void()>& write_batches,
                                    const std::function<uint64_t(warehouse::Transaction&)>& load);
    // A candidate whose ledger row exists but whose copy to good is missing; `object` as
    // listed.
    void repair(const ObjectRef& ref, const store::ObjectInfo& object);
    // Sidecar and copy to bad of the object (as listed).
    void mark_bad(const store::ObjectInfo& object, const ObjectRef& ref, const Failure& failure,
                  bool empty = false);
    // Copies the committed object (as listed) to good.
    void mark_good(const store::ObjectInfo& object, const ObjectRef& ref, uint64_t rows,
                   bool empty = false);

    // Runs the selected objects in order: repairs are finished here, every other object goes to
    // `process` (again, with backoff, after a transient BackendError). Stops after a bad object
    // (unless --keep-going) and after any other BackendError: the target's or the
    // infrastructure's (the object then stays unprocessed for the next run). Returns finish()'s
    // code.
    int process_objects(
        const Selection& selection, const std::string& bucket, const std::string& destination,
        const std::function<ObjectOutcome(const store::ObjectInfo&, const ObjectRef&)>& process);

    // Prints the report (when any object was selected), writes --report-json, logs the exit.
    int finish(int exit_code);

private:
    void forget_incomplete(const std::string& key);
    void finish_object(const std::string& key, bool empty);  // counts empty, drops incomplete

    RunOptions options_;
    std::string job_;
    std::unique_ptr<store::ObjectStore> store_;
    std::unique_ptr<warehouse::Warehouse> warehouse_;
    util::RunReport report_;
    size_t spool_bytes_ = 0;  // how far a batch's writer may run ahead of its load
    std::unique_ptr<ObjectPrefetch> prefetch_;
    // The current object's copy to good, prepared while it loads (store::copies_ahead).
    std::future<std::unique_ptr<store::PendingCopy>> good_copy_;
    util::RetryPolicy retry_;  // for an object whose load failed transiently
};

// Runs SQL inside a load's transaction; a failure of the statement rejects the object (LoadError
// of stage post-load naming `what`); transient and infrastructure failures propagate.
void execute_in_load(warehouse::Transaction& tx, const std::string& sql, const std::string& what);
// The same for any statement of the load after the batches (e.g. Transaction::insert_row).
void post_load_step(const std::string& what, const std::function<void()>& step);

}  // namespace gdx::jobs
