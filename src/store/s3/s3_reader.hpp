#pragma once
// Streamed GetObject: read() drives a curl multi transfer and pauses it whenever the
// consumer has unread data, so memory stays at one small buffer whatever the object size.
// A transient failure mid-stream resumes with a Range request pinned to the ETag (If-Match).
#include <curl/curl.h>

#include <string>

#include "store/object_store.hpp"
#include "store/s3/s3_client.hpp"

namespace gdx::store::s3 {

class S3Reader : public ObjectReader {
public:
    // Starts the transfer and waits for the response status, so that a missing object or
    // a denied request throws here rather than on the first read().
    S3Reader(S3Client& client, std::string bucket, std::string key);
    ~S3Reader() override;
    S3Reader(const S3Reader&) = delete;
    S3Reader& operator=(const S3Reader&) = delete;

    size_t read(char* dst, size_t capacity) override;

    // The object's size from the response's Content-Length (0 when not given) and its ETag.
    uint64_t object_size() const;
    const std::string& etag() const { return etag_; }

private:
    static size_t on_data(char* data, size_t size, size_t n, void* self);
    size_t accept(const char* data, size_t len);
    void start();
    // Advances the transfer a little; returns false once it has finished successfully.
    bool pump();
    void finish(CURLcode rc);

    S3Client& client_;
    S3Request request_;
    PreparedTransfer transfer_;
    CURL* easy_ = nullptr;
    CURLM* multi_ = nullptr;
    bool attached_ = false;

    std::string buffer_;  // received, not yet read
    size_t buffer_pos_ = 0;
    bool paused_ = false;
    bool done_ = false;

    long status_ = 0;  // of the current attempt; 0 until the first body byte or the end
    std::string error_body_;
    uint64_t delivered_ = 0;  // bytes accepted into buffer_ over all attempts
    uint64_t skip_ = 0;       // bytes to drop when a resumed request ignored the Range
    std::string etag_;
    int attempt_ = 1;
};

}  // namespace gdx::store::s3
