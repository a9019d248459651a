#pragma once
// Delivering one object to the SFTP server exactly once, and marking it (docs/architecture.md,
// "s3-to-sfts"): stream the object to <final><temp_suffix> (length and MD5 checked on the
// way), check the remote size, journal READY, rename to <final>, copy the object to the good
// archive, drop the journal. A run that dies at any point is finished by the next one from the
// journal and what the server holds, never by sending again.
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>

#include "config/s3_to_sfts_config.hpp"
#include "jobs/sfts_journal.hpp"
#include "jobs/sfts_selection.hpp"
#include "store/object_store.hpp"
#include "transfer/transfer.hpp"
#include "util/retry.hpp"

namespace gdx::jobs {

// A failure that belongs to this object and that retrying cannot fix (a name collision).
class DeliveryRefused : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class Delivered {
    Sent,            // uploaded in this run
    AlreadyPresent,  // the server had a file of that name and size and no journal: not sent
    Finished,        // an interrupted run had sent it; finished from the journal
};

class SftsDelivery {
public:
    SftsDelivery(store::ObjectStore& store, transfer::TransferSession& session,
                 JournalStore& journals, const config::S3ToSftsConfig& cfg,
                 util::RetryPolicy retry);

    // Puts the object on the server under its final name (or finds it there). Throws
    // DeliveryRefused or BackendError; then nothing is marked.
    Delivered deliver(const SftsCandidate& c);
    // Copies the object to the good archive and drops its journal.
    void mark_good(const SftsCandidate& c);
    // After a delivery whose copy to good failed: journals RENAMED, so that the next run only
    // marks it (best effort: a READY journal leads there too, through the server's answers).
    void keep_as_delivered(const SftsCandidate& c);
    // Records a failed attempt; returns the number of failed attempts so far.
    int64_t count_failure(const SftsCandidate& c);
    // Copies the object to the bad archive (max_attempts reached) and drops its journal.
    void mark_bad(const SftsCandidate& c);

    std::string final_path(const SftsCandidate& c) const;
    std::string good_key(const SftsCandidate& c) const;

    ~SftsDelivery();

private:
    std::string marker_key(const SftsCandidate& c, const char* state) const;
    // The journal of the object's delivery to its final path through the temp name.
    Journal journal_of(const SftsCandidate& c, JournalState state, int64_t attempts) const;
    void remove_quietly(const std::string& path);
    void send(const SftsCandidate& c, const std::string& path,
              const std::function<void()>& source_verified);
    std::optional<uint64_t> remote_size(const std::string& path);
    void require_size(const SftsCandidate& c, const std::string& path,
                      std::optional<uint64_t> size);
    void upload_to(const SftsCandidate& c, const std::string& path);
    void upload_temp_and_journal(const SftsCandidate& c, const Journal& j);
    void drop_journal_of_failed_upload(const SftsCandidate& c, std::future<void>& journal);
    void start_good_copy(const SftsCandidate& c);
    void drop_good_copy();
    bool may_exist(const std::string& path);
    void rename_or_fallback(const SftsCandidate& c, Journal& j);
    void upload_direct(const SftsCandidate& c, Journal& j, const std::string& stale_temp = "");
    void drop_journal_later(const std::string& archive_key);
    void finish_journal_drop();

    store::ObjectStore& store_;
    transfer::TransferSession& session_;
    JournalStore& journals_;
    const config::S3ToSftsConfig& cfg_;
    util::RetryPolicy retry_;
    // The server refused a rename in this run and sfts_atomic_rename is off: later objects go
    // straight to their final names instead of being sent twice.
    bool rename_refused_ = false;
    // Remote folder -> the names it held when first listed in this run; nullopt: not listable.
    std::map<std::string, std::optional<std::set<std::string>>> remote_names_;
    // On a store whose copies are local work (copies_ahead: the directory store), the good copy
    // of the object being uploaded is written and synced on another thread while it uploads;
    // mark_good only renames it into place. Dropped (its temp file removed) unless published.
    std::string good_copy_key_;
    std::future<std::unique_ptr<store::PendingCopy>> good_copy_;
    // The removal of the last marked object's journal, running beside the next delivery.
    std::future<void> journal_drop_;
};

}  // namespace gdx::jobs
