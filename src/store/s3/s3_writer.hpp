#pragma once
// Streamed PutObject: bytes are buffered up to the part size. An object that fits in one
// part is a single PutObject at commit(); a larger one becomes a multipart upload (one
// UploadPart per full buffer), completed at commit() and aborted if the writer is destroyed
// uncommitted. Each request retries on its own, re-sending its buffered part.
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
    void upload_part();  // sends buffer_ as the next part and empties it
    void abort_upload() noexcept;

    S3Client& client_;
    std::string bucket_;
    std::string key_;
    size_t part_size_;
    std::string buffer_;
    std::string upload_id_;  // empty until the object outgrows one part
    std::vector<std::string> part_etags_;
    bool committed_ = false;
};

}  // namespace gdx::store::s3
