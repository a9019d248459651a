#pragma once
// The in-flight journal of one s3-to-sfts object (docs/architecture.md, "s3-to-sfts"): a
// small JSON object at <journal_prefix><archive key>.json saying how far its delivery got, so
// that a run interrupted at any point is finished by the next one without sending twice.
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "store/object_store.hpp"

namespace gdx::jobs {

enum class JournalState {
    Failed,   // earlier runs failed `attempts` times; nothing on the server is trusted
    Ready,    // the temp file was complete and verified on the server
    Renamed,  // the final file is in place; only the good marker is missing
    Direct,   // being uploaded straight to the final name (the server refuses renames): a
              // final file of another size is this run's partial upload, not a collision
};

struct Journal {
    JournalState state = JournalState::Failed;
    std::string key, etag, temp, final_path;
    uint64_t size = 0;
    int64_t attempts = 0;
};

// Safe to use from two threads at once (a delivery writes and drops journals beside its
// upload): the bookkeeping has a lock of its own, and the store's calls are made one at a time,
// so the store given must not be used elsewhere while the journals are (the job gives the
// journals a store of their own).
class JournalStore {
public:
    JournalStore(store::ObjectStore& store, std::string bucket, std::string prefix)
        : store_(store), bucket_(std::move(bucket)), prefix_(std::move(prefix)) {}

    std::string key_of(const std::string& archive_key) const {
        return prefix_ + archive_key + ".json";
    }
    // nullopt when absent; an unreadable journal is treated as absent (logged). Under a root
    // that list() has seen, a journal it did not find and this run did not write is absent
    // without asking the store (one listing instead of a HEAD per object: the run holds the
    // config's lock, so no other writer adds journals there).
    std::optional<Journal> read(const std::string& archive_key);
    void write(const std::string& archive_key, const Journal& journal);
    void remove(const std::string& archive_key);
    // Archive keys of every journal under <journal_prefix><archive_root>.
    std::vector<std::string> list(const std::string& archive_root);

private:
    bool known_absent(const std::string& archive_key);

    store::ObjectStore& store_;
    std::string bucket_, prefix_;
    std::mutex store_mutex_;  // one store call at a time
    std::mutex state_mutex_;  // guards the two below; never held across a store call
    std::optional<std::string> listed_root_;  // the root list() last saw whole
    std::set<std::string> listed_;            // journals under it (as this run changed them)
};

}  // namespace gdx::jobs
