#pragma once
// Streamed PutObject: bytes are buffered up to the part size. An object that fits in one
// part is a single PutObject at commit(); a larger one becomes a multipart upload, completed at
// commit() and aborted if the writer is destroyed uncommitted. While one part uploads (on its
// own thread and connection) the next one fills, so the producer rarely waits for the network;
// at most two parts are in memory. Each request retries on its own, re-sending its part.
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "store/object_store.hpp"
#include "store/s3/s3_client.hpp"

namespace gdx::store::s3 {

class S3Writer : public ObjectWriter {
public:
    S3Writer(S3Client& client, std::string bucket, std::string key);
    ~S3Writer() override;
    S3Writer(const S3Writer&) = delete;
    S3Writer& operator=(const S3Writer&) = delete;

    void write(std::string_view bytes) override;
    void commit() override;

private:
    // Starts sending buffer_ as the next part (after the previous one is done) and empties it.
    void upload_part();
    // Waits for the part in flight, if any, and records its ETag; rethrows its failure.
    void finish_part_in_flight();
    void abort_upload() noexcept;

    S3Client& client_;
    std::string bucket_;
    std::string key_;
    size_t part_size_;
    std::string buffer_;
    std::string upload_id_;  // empty until the object outgrows one part
    std::vector<std::string> part_etags_;
    std::unique_ptr<S3Client> part_client_;  // the uploads' own connection
    std::string sending_;                    // the part in flight
    std::future<std::string> in_flight_;     // its ETag
    bool committed_ = false;
};

}  // namespace gdx::store::s3
