#pragma once
// Fetches the next object of a run while the current one is transformed and loaded
// (docs/architecture.md#many-objects): with thousands of small objects the GET's latency would
// otherwise add to every object's time. One object ahead, held in memory only when it is at most
// GDX_PREFETCH_MB, so memory stays bounded whatever the objects' sizes.
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "store/object_store.hpp"

namespace gdx::jobs {

// The largest object fetched ahead: GDX_PREFETCH_MB (default 8) MiB; 0 turns prefetching off.
// Throws ConfigError for a malformed value.
size_t prefetch_bytes_from_env();

class ObjectPrefetch {
public:
    // `store` is used only by the prefetching thread (an S3 store is one connection, not
    // shareable between threads); nullptr or max_bytes 0: nothing is ever fetched ahead.
    ObjectPrefetch(std::unique_ptr<store::ObjectStore> store, size_t max_bytes);
    ~ObjectPrefetch();  // waits for a GET in flight; its bytes are dropped
    ObjectPrefetch(const ObjectPrefetch&) = delete;
    ObjectPrefetch& operator=(const ObjectPrefetch&) = delete;

    // The objects the run will read from `bucket`, in the order it reads them.
    void plan(const std::string& bucket, const std::vector<store::ObjectInfo>& objects);

    // Called when the run starts reading `key` of `bucket`: starts fetching the object planned
    // after it, and returns `key`'s bytes when they were fetched ahead, or nullptr (the caller
    // then GETs it itself). A fetch ahead that failed rethrows its error here, so a failing GET
    // has the same effect with prefetching as without: it is the failure of that object's
    // attempt, and a retry of the object GETs it again.
    std::unique_ptr<store::ObjectReader> take(const std::string& bucket, const std::string& key);

    bool enabled() const { return store_ != nullptr && max_bytes_ > 0; }

private:
    struct Fetch {
        std::string key;
        std::string bytes;
        bool complete = false;  // false: larger than max_bytes when read (not kept)
        std::exception_ptr error;
        std::thread thread;
    };
    void start(size_t index);  // fetches plan_[index] unless it is too large
    void drop();               // waits for and forgets the fetch in flight

    std::unique_ptr<store::ObjectStore> store_;
    size_t max_bytes_;
    std::string bucket_;
    std::vector<store::ObjectInfo> plan_;
    std::unordered_map<std::string, size_t> index_;  // key -> position in plan_
    std::unique_ptr<Fetch> fetch_;
    std::mutex mutex_;  // take() may be called from a batch writer's thread
};

}  // namespace gdx::jobs
