#pragma once
// A large object read with several ranged GETs at once: worker threads, each with its own
// connection, fetch consecutive ranges of S3Config::get_range_size, pinned to the object's ETag
// (If-Match), and read() hands them over in order. At most range_window() ranges exist at a
// time (fetching or waiting to be read), so memory is bounded whatever the size.
// A failed or short range is fetched again (transient failures, with backoff); a permanent
// failure — or the object changing (412) — fails the read.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/object_store.hpp"
#include "store/s3/s3_client.hpp"

namespace gdx::store::s3 {

// Objects of at least this many bytes are read with all of S3Config::get_concurrency ranges at
// once; smaller ones with at most kMidObjectWindow. On a big object the GET's rate shows in the
// run's time (on s3rver 4 ranges of 4 MiB read 2 GB at 0.84x boto3's rate, 8 at 1.06x:
// docs/performance.md); below 1 GiB it is a second or less, and four ranges keep a job on such
// an object under 64 MiB (8 would hold 16 MiB more).
constexpr uint64_t kWideObjectBytes = 1ull << 30;
constexpr size_t kMidObjectWindow = 4;

// How many ranges are fetched or held at once for an object of `size` bytes.
size_t range_window(const S3Config& config, uint64_t size);

class S3RangeReader : public ObjectReader {
public:
    // size and etag from the object's first response (or a HeadObject).
    S3RangeReader(S3Client& client, std::string bucket, std::string key, uint64_t size,
                  std::string etag);
    ~S3RangeReader() override;
    S3RangeReader(const S3RangeReader&) = delete;
    S3RangeReader& operator=(const S3RangeReader&) = delete;

    size_t read(char* dst, size_t capacity) override;

    // Most bytes held in ranges at one time (tests check the bound).
    uint64_t peak_buffered() const;

private:
    void work(S3Config config);
    // GET of range `index`, retried; returns exactly its bytes.
    std::string fetch(S3Client& client, CURL* easy, uint64_t index);

    std::string bucket_;
    std::string key_;
    uint64_t size_;
    std::string etag_;
    uint64_t range_size_;
    uint64_t ranges_;
    size_t window_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    uint64_t next_to_fetch_ = 0;
    uint64_t next_to_read_ = 0;
    std::map<uint64_t, std::string> ready_;  // fetched, not yet read
    // Buffers of ranges already read, filled again by the next fetches: a fresh range-sized
    // buffer is faulted in page by page, which cost more CPU than the bytes' copy into it.
    std::vector<std::string> spare_buffers_;
    size_t read_pos_ = 0;  // within ready_[next_to_read_]
    uint64_t buffered_ = 0;
    uint64_t peak_buffered_ = 0;
    std::exception_ptr error_;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace gdx::store::s3
