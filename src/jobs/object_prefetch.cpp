#include "jobs/object_prefetch.hpp"

#include <algorithm>
#include <cstring>

#include <spdlog/spdlog.h>

#include "util/env.hpp"

namespace gdx::jobs {
namespace {

constexpr long kDefaultPrefetchMiB = 8;

// Hands out bytes fetched ahead.
class MemoryReader : public store::ObjectReader {
public:
    explicit MemoryReader(std::string bytes) : bytes_(std::move(bytes)) {}
    size_t read(char* dst, size_t capacity) override {
        const size_t n = std::min(capacity, bytes_.size() - pos_);
        std::memcpy(dst, bytes_.data() + pos_, n);
        pos_ += n;
        return n;
    }

private:
    std::string bytes_;
    size_t pos_ = 0;
};

}  // namespace

size_t prefetch_bytes_from_env() {
    const long mib = util::env_integer("GDX_PREFETCH_MB", kDefaultPrefetchMiB, 0, 1024);
    return static_cast<size_t>(mib) << 20;
}

ObjectPrefetch::ObjectPrefetch(std::unique_ptr<store::ObjectStore> store, size_t max_bytes)
    : store_(std::move(store)), max_bytes_(max_bytes) {}

ObjectPrefetch::~ObjectPrefetch() {
    drop();
}

void ObjectPrefetch::plan(const std::string& bucket,
                          const std::vector<store::ObjectInfo>& objects) {
    std::lock_guard lock(mutex_);
    drop();
    bucket_ = bucket;
    plan_ = objects;
    index_.clear();
    for (size_t i = 0; i < plan_.size(); ++i) index_.emplace(plan_[i].key, i);
}

void ObjectPrefetch::drop() {
    if (!fetch_) return;
    if (fetch_->thread.joinable()) fetch_->thread.join();
    fetch_.reset();
}

void ObjectPrefetch::start(size_t index) {
    if (index >= plan_.size()) return;
    const store::ObjectInfo& next = plan_[index];
    if (fetch_ && fetch_->key == next.key) return;  // already on its way (a retried object)
    drop();
    if (next.size > max_bytes_) return;  // read as a stream when its turn comes
    fetch_ = std::make_unique<Fetch>();
    fetch_->key = next.key;
    Fetch* f = fetch_.get();
    f->thread = std::thread([this, f, size = next.size] {
        try {
            auto in = store_->get(bucket_, f->key);
            // One byte more than the cap tells an object that grew past it since the listing.
            const size_t cap = max_bytes_ + 1;
            f->bytes.resize(std::min(cap, size + 1));
            size_t have = 0;
            for (;;) {
                if (have == f->bytes.size()) {
                    if (have == cap) {  // not kept: read as a stream when its turn comes
                        f->bytes = std::string();
                        return;
                    }
                    f->bytes.resize(std::min(cap, have * 2));
                }
                const size_t n = in->read(f->bytes.data() + have, f->bytes.size() - have);
                if (n == 0) break;
                have += n;
            }
            if (have != size) {  // cut short, or changed since listed: the caller's read says so
                f->bytes = std::string();
                return;
            }
            f->bytes.resize(have);
            f->complete = true;
        } catch (...) {
            f->error = std::current_exception();
        }
    });
}

std::unique_ptr<store::ObjectReader> ObjectPrefetch::take(const std::string& bucket,
                                                          const std::string& key) {
    std::lock_guard lock(mutex_);
    if (!enabled() || bucket != bucket_) return nullptr;
    const auto at = index_.find(key);
    if (at == index_.end()) return nullptr;
    std::unique_ptr<store::ObjectReader> reader;
    std::exception_ptr error;
    if (fetch_ && fetch_->key == key) {
        fetch_->thread.join();
        if (fetch_->error)
            error = fetch_->error;
        else if (fetch_->complete)
            reader = std::make_unique<MemoryReader>(std::move(fetch_->bytes));
        fetch_.reset();
    }
    start(at->second + 1);
    if (error) {
        spdlog::debug("fetching {} ahead failed; the error is this attempt's", key);
        std::rethrow_exception(error);
    }
    return reader;
}

}  // namespace gdx::jobs
