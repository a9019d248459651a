#pragma once
// Streamed PutObject: bytes are buffered up to the part size. An object that fits in one
// part is a single PutObject at commit(); a larger one becomes a multipart upload, completed at
// commit() and aborted if the writer is destroyed uncommitted. Up to S3Config::upload_concurrency
// parts upload at once, each on its own thread and connection, while the next one fills, so the
// producer rarely waits for the network; at most that many parts plus one are in memory. Each
// request retries on its own, re-sending its part.
#include <deque>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "store/object_store.hpp"
#include "store/s3/s3_client.hpp"

namespace gdx::store::s3 {

class S3Writer : public ObjectWriter {
public:
    S3Writer(S3Client& client, std::string bucket, std::string key, const PutOptions& options = {});
    ~S3Writer() override;
    S3Writer(const S3Writer&) = delete;
    S3Writer& operator=(const S3Writer&) = delete;

    void write(std::string_view bytes) override;
    void commit() override;

private:
    // One part on its way: its bytes, its connection, its ETag to come.
    struct PartInFlight {
        size_t number = 0;  // 1-based
        std::string bytes;
        std::unique_ptr<S3Client> client;
        std::future<std::string> etag;
    };

    // Starts sending buffer_ as the next part (once a slot is free) and empties it.
    void upload_part();
    // Waits for the oldest part in flight and records its ETag; rethrows its failure. Its
    // connection goes back to the pool.
    void finish_oldest_part();
    void abort_upload() noexcept;

    S3Client& client_;
    std::string bucket_;
    std::string key_;
    std::vector<std::string> headers_;  // of PutObject or CreateMultipartUpload
    size_t part_size_;
    std::string buffer_;
    std::string upload_id_;                // empty until the object outgrows one part
    std::vector<std::string> part_etags_;  // by part number - 1
    size_t parts_started_ = 0;
    std::deque<PartInFlight> in_flight_;                   // oldest first
    std::vector<std::unique_ptr<S3Client>> idle_clients_;  // connections of finished parts
    // Buffers of finished parts, filled again by the next ones: a fresh part-sized buffer is
    // faulted in page by page, which cost more CPU than copying the bytes into it.
    std::vector<std::string> spare_buffers_;
    bool committed_ = false;
};

}  // namespace gdx::store::s3
