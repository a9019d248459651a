#include "jobs/loader_run.hpp"

#include <chrono>
#include <fstream>
#include <iostream>

#include <spdlog/spdlog.h>

#include "jobs/load_while_writing.hpp"
#include "jobs/run_output.hpp"
#include "util/crash_point.hpp"
#include "util/env.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/retry.hpp"

namespace gdx::jobs {
LoaderRun::LoaderRun(const RunOptions& options, std::string job_name)
    : options_(options), job_(std::move(job_name)) {
    report_.job = job_;
    report_.config_path = options.config_path;
    report_.start = std::chrono::system_clock::now();
}

void LoaderRun::open_backends(const warehouse::WarehouseOptions& wopts) {
    spool_bytes_ = spool_bytes_from_env();  // a malformed value stops the run before anything
    retry_ = util::RetryPolicy::from_env();
    const std::string wh_uri = warehouse_uri(options_);
    store_ = store::open_store(store_uri(options_));
    const size_t prefetch_bytes = prefetch_bytes_from_env();
    prefetch_ = std::make_unique<ObjectPrefetch>(
        prefetch_bytes > 0 ? store::open_store(store_uri(options_)) : nullptr, prefetch_bytes);
    warehouse_ = warehouse::open_warehouse(wh_uri, wopts);
    report_.warehouse = wh_uri.substr(0, wh_uri.find(':'));
    spdlog::info("store {}, warehouse {}", store_->describe(), warehouse_->describe());
}

void LoaderRun::use_backends(std::unique_ptr<store::ObjectStore> store,
                             std::unique_ptr<warehouse::Warehouse> warehouse,
                             std::unique_ptr<store::ObjectStore> prefetch_store) {
    spool_bytes_ = spool_bytes_from_env();
    prefetch_ =
        std::make_unique<ObjectPrefetch>(std::move(prefetch_store), prefetch_bytes_from_env());
    retry_ = util::RetryPolicy::from_env();
    store_ = std::move(store);
    warehouse_ = std::move(warehouse);
    const std::string described = warehouse_->describe();
    report_.warehouse = described.substr(0, described.find(':'));
}

std::unique_ptr<store::ObjectReader> LoaderRun::open_object(const ObjectRef& ref,
                                                            const store::ObjectInfo& object) {
    if (auto fetched = prefetch_ ? prefetch_->take(ref.bucket, ref.key) : nullptr) return fetched;
    return store_->get_listed(ref.bucket, object);
}

ObjectRef LoaderRun::object_ref(const std::string& bucket, const std::string& destination,
                                const std::string& key) const {
    return {job_, options_.config_path, bucket, key, object_keys(destination, key)};
}

void LoaderRun::begin_objects(const Selection& selection) {
    util::start_log_file();  // the run starts work: from here on it has a log file
    for (const auto& key : selection.already_processed)
        spdlog::info("{} was processed already", key);
    const std::string summary = selection_summary(selection);
    spdlog::info("{}", summary);
    if (!options_.quiet) std::cerr << "gdx: " << summary << "\n";
    report_.objects = selection.selected.size();
    for (const auto& c : selection.selected) report_.incomplete_list.push_back(c.object.key);
    util::crash_point("after_selection");
}

void LoaderRun::forget_incomplete(const std::string& key) {
    std::erase(report_.incomplete_list, key);
}

void LoaderRun::finish_object(const std::string& key, bool empty) {
    if (empty) {
        report_.empty++;
        report_.empty_list.push_back(key);
    }
    forget_incomplete(key);
}

void LoaderRun::mark_good(const store::ObjectInfo& object, const ObjectRef& ref, uint64_t rows,
                          bool empty) {
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<store::PendingCopy> prepared;
    if (good_copy_.valid()) {
        try {
            prepared = good_copy_.get();
        } catch (const std::exception& e) {
            spdlog::warn("preparing the copy of {} to good failed ({}); copying it now", ref.key,
                         e.what());
        }
    }
    if (prepared)
        prepared->publish();
    else
        copy_to_good(*store_, ref, object);
    util::crash_point("after_good_copy");
    const std::chrono::duration<double> copy_time = std::chrono::steady_clock::now() - start;
    report_.processed++;
    report_.good++;
    report_.good_list.push_back(ref.key);
    finish_object(ref.key, empty);
    spdlog::info("finished {}: {} rows loaded; copied to good in {:.2f} s", ref.key, rows,
                 copy_time.count());
}

void LoaderRun::mark_bad(const store::ObjectInfo& object, const ObjectRef& ref,
                         const Failure& failure, bool empty) {
    spdlog::error("{} is bad: {}", ref.key, failure.summary());
    std::cerr << "gdx: " << ref.key << ": " << failure.summary() << "\n";
    // The copy to good prepared beside the load goes first (waited for, its temp file removed):
    // once the bad copy exists no run processes this object again, so a temp file left in the
    // good folder by a kill from here on would stay there for good.
    good_copy_ = {};
    util::crash_point("before_sidecar");  // rolled back, nothing written for it yet
    move_to_bad(*store_, ref, object, failure);
    util::crash_point("after_bad_copy");
    report_.failed++;
    report_.bad++;
    report_.bad_list.push_back(ref.key);
    report_.bad_objects.push_back(
        {ref.key, failure.error, failure.line, failure.column, ref.keys.sidecar});
    finish_object(ref.key, empty);
}

void LoaderRun::repair(const ObjectRef& ref, const store::ObjectInfo& object) {
    spdlog::warn(
        "{} is in the ledger but was never copied to good (interrupted run): finishing the copy",
        ref.key);
    copy_to_good(*store_, ref, object);
    report_.repaired++;
    report_.repaired_list.push_back(ref.key);
    forget_incomplete(ref.key);
}

ObjectOutcome LoaderRun::commit_object(
    const store::ObjectInfo& object, const ObjectRef& ref,
    const std::function<uint64_t(warehouse::Transaction&)>& load) {
    const auto start = std::chrono::steady_clock::now();
    auto tx = warehouse_->begin();
    if (tx->claim(ref.bucket, ref.key)) {
        // Another run loaded it between our selection and now: it will copy it to good.
        spdlog::info("{} was loaded by a concurrent run; skipping", ref.key);
        tx.reset();
        forget_incomplete(ref.key);
        report_.skipped_list.push_back(ref.key);
        return ObjectOutcome::LoadedElsewhere;
    }
    uint64_t rows = 0;
    try {
        rows = load(*tx);
    } catch (...) {
        auto rejection = rejection_of(std::current_exception());
        if (!rejection) throw;
        tx.reset();  // rollback before touching the store
        mark_bad(object, ref, rejection->failure, rejection->empty);
        return ObjectOutcome::Bad;
    }
    util::crash_point("before_ledger");  // loaded, post-load SQL run, inside the transaction
    tx->record({.job = job_,
                .config = options_.config_path,
                .bucket = ref.bucket,
                .key = ref.key,
                .etag = object.etag,
                .size = object.size,
                .rows = rows,
                .status = "good",
                .batch_key = ref.keys.batch,
                .loaded_at = {}});
    util::crash_point("after_ledger");
    tx->commit();
    util::crash_point("after_commit");  // the next run finishes the copy (repair)
    const std::chrono::duration<double> load_time = std::chrono::steady_clock::now() - start;
    spdlog::info("committed {}: {} rows in {:.2f} s", ref.key, rows, load_time.count());
    report_.loaded++;
    mark_good(object, ref, rows, rows == 0);
    return ObjectOutcome::Good;
}

ObjectOutcome LoaderRun::load_object(
    const store::ObjectInfo& object, const ObjectRef& ref,
    const std::function<void(store::ObjectWriter&)>& write,
    const std::function<uint64_t(warehouse::Transaction&, const warehouse::BatchRef&)>& load,
    const SourceLines* source_lines) {
    // Runs once the batch is written (its writer thread joined): the map is complete.
    const auto at_source_line = [source_lines](const std::function<uint64_t()>& step) {
        try {
            return step();
        } catch (warehouse::LoadError& e) {
            if (source_lines && e.batch_record)
                e.source_line = source_lines->line_of_record(e.batch_record).value_or(0);
            throw;
        }
    };
    if (warehouse_->loads_while_writing()) {
        // On a store whose copies are local work (the directory store), the copy to good is
        // written and synced while the object loads; after COMMIT it is only renamed into place,
        // so its sync is not one more wait per object. Whatever happens, it is dropped (its temp
        // file removed) before this returns unless mark_good published it.
        if (store_->copies_ahead())
            good_copy_ = std::async(std::launch::async, [this, &ref] {
                return store_->prepare_copy(ref.bucket, ref.key, ref.bucket, ref.keys.good);
            });
        struct DropUnpublished {
            std::future<std::unique_ptr<store::PendingCopy>>& copy;
            ~DropUnpublished() { copy = {}; }
        } drop{good_copy_};
        return commit_object(object, ref, [&](warehouse::Transaction& tx) {
            return at_source_line([&] {
                return load_while_writing(
                    *store_, ref.bucket, ref.keys.batch, write,
                    [&](const warehouse::BatchRef& batch) { return load(tx, batch); }, spool_bytes_,
                    object.size);
            });
        });
    }
    return write_then_commit(
        object, ref,
        [&] {
            auto out = warehouse_->open_batch(*store_, ref.bucket, ref.keys.batch, object.size);
            write(*out);
            out->commit();
        },
        [&](warehouse::Transaction& tx) {
            return at_source_line([&] {
                return load(tx, {store_.get(), ref.bucket, ref.keys.batch});
            });
        });
}

ObjectOutcome LoaderRun::write_then_commit(
    const store::ObjectInfo& object, const ObjectRef& ref,
    const std::function<void()>& write_batches,
    const std::function<uint64_t(warehouse::Transaction&)>& load) {
    try {
        write_batches();
    } catch (...) {
        auto rejection = rejection_of(std::current_exception());
        if (!rejection) throw;
        mark_bad(object, ref, rejection->failure, rejection->empty);
        return ObjectOutcome::Bad;
    }
    util::crash_point("after_batch");
    return commit_object(object, ref, load);
}

int LoaderRun::process_objects(
    const Selection& selection, const std::string& bucket, const std::string& destination,
    const std::function<ObjectOutcome(const store::ObjectInfo&, const ObjectRef&)>& process) {
    int exit_code = 0;
    if (prefetch_) {
        std::vector<store::ObjectInfo> to_read;  // repairs read nothing
        for (const auto& candidate : selection.selected)
            if (!candidate.repair) to_read.push_back(candidate.object);
        prefetch_->plan(bucket, to_read);
    }
    try {
        for (const auto& candidate : selection.selected) {
            const auto& object = candidate.object;
            ObjectRef ref = object_ref(bucket, destination, object.key);
            if (candidate.repair) {
                repair(ref, object);
                continue;
            }
            spdlog::info("processing {} ({} bytes)", object.key, object.size);
            // A transient failure rolled the object's transaction back: it is tried again.
            const auto outcome = util::with_retry(retry_, "processing " + object.key,
                                                  [&] { return process(object, ref); });
            if (outcome == ObjectOutcome::Bad) {
                exit_code = 1;
                if (!options_.keep_going) break;
            }
        }
    } catch (const BackendError& e) {
        // The target's or the infrastructure's failure (or a transient one that did not pass):
        // the current object stays unprocessed and is retried by the next run.
        spdlog::error("stopping ({} failure): {}", kind_name(e.kind()), e.what());
        std::cerr << "gdx: error: " << util::redact(e.what()) << "\n";
        exit_code = 1;
    }
    if (prefetch_) prefetch_->plan(bucket, {});  // a fetch still in flight is not needed
    return finish(exit_code);
}

void execute_in_load(warehouse::Transaction& tx, const std::string& sql, const std::string& what) {
    post_load_step(what, [&] { tx.execute(sql); });
}

void post_load_step(const std::string& what, const std::function<void()>& step) {
    auto rejected = [&](const std::exception& e) {
        return warehouse::LoadError(what + " failed: " + e.what(), 0, {}, {},
                                    FailureStage::PostLoad);
    };
    try {
        step();
    } catch (const warehouse::LoadError& e) {
        throw rejected(e);
    } catch (const BackendError& e) {
        // A statement the target cannot run is part of this object's load: it goes to bad with
        // the statement's error. A transient or infrastructure failure is not the object's.
        if (e.kind() == ErrorKind::Transient || e.kind() == ErrorKind::Infrastructure) throw;
        throw rejected(e);
    }
}

int LoaderRun::finish(int exit_code) {
    report_.end = std::chrono::system_clock::now();
    std::string log_path = (options_.log_dir / (job_ + ".log")).string();
    const bool worth_printing = report_.objects > 0 || report_.repaired > 0;
    publish_report(options_, worth_printing ? util::format_report_text(report_, log_path) : "",
                   util::report_to_json(report_));
    spdlog::info("exiting with code {}", exit_code);
    return exit_code;
}

}  // namespace gdx::jobs
