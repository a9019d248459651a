#include "store/s3/s3_copy.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_multipart.hpp"
#include "store/s3/s3_xml.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace gdx::store::s3 {
namespace {

constexpr uint64_t kMinPart = 5ull << 20;        // S3's smallest part (all but the last)
constexpr uint64_t kMaxSingleCopy = 5ull << 30;  // CopyObject's limit
constexpr uint64_t kMaxParts = 10000;

std::string copy_source(const std::string& bucket, const std::string& key) {
    return "x-amz-copy-source: " + uri_encode(bucket, false) + "/" + uri_encode(key, true);
}

void single_copy(S3Client& client, const std::string& src_bucket, const std::string& src_key,
                 const std::string& dst_bucket, const std::string& dst_key) {
    S3Request req{"CopyObject", "PUT", dst_bucket, dst_key, "", {}, {}};
    req.headers.push_back(copy_source(src_bucket, src_key));
    // A 200 may still carry an <Error> when the copy failed after it started.
    client.perform(req, {}, /*error_in_success_body=*/true);
}

// The ETag inside a CopyPartResult document.
std::string part_etag(const S3Request& req, const std::string& body) {
    std::string etag = parse_copy_part_etag(body);
    if (etag.empty()) {
        throw BackendError("S3 UploadPartCopy " + s3_url_for_message(req.bucket, req.key) +
                           " failed: no ETag in the response");
    }
    return etag;
}

class MultipartCopy {
public:
    MultipartCopy(S3Client& client, const std::string& src_bucket, const std::string& src_key,
                  const std::string& dst_bucket, const std::string& dst_key, uint64_t size,
                  const std::string& etag, CopyPlan plan)
        : client_(client),
          src_bucket_(src_bucket),
          src_key_(src_key),
          dst_bucket_(dst_bucket),
          dst_key_(dst_key),
          size_(size),
          etag_(etag),
          plan_(plan),
          etags_(plan.parts) {}

    void run() {
        abort_unfinished_uploads(client_, dst_bucket_, dst_key_);
        upload_id_ = create_multipart(client_, dst_bucket_, dst_key_);
        try {
            copy_parts();
            complete_multipart(client_, dst_bucket_, dst_key_, upload_id_, etags_);
        } catch (...) {
            abort_multipart(client_, dst_bucket_, dst_key_, upload_id_);
            throw;
        }
    }

private:
    // Each worker has its own client, with the credentials of the main one.
    void copy_parts() {
        const S3Config config = config_for_worker(client_);
        const int workers =
            static_cast<int>(std::min<uint64_t>(std::max(config.copy_concurrency, 1), plan_.parts));
        std::vector<std::thread> threads;
        for (int i = 0; i < workers; ++i) {
            threads.emplace_back([this, config] {
                try {
                    S3Client client(config);
                    for (uint64_t part; !failed_ && (part = next_part_++) < plan_.parts;)
                        copy_part(client, part);
                } catch (...) {
                    std::lock_guard lock(mutex_);
                    if (!error_) error_ = std::current_exception();
                    failed_ = true;
                }
            });
        }
        for (auto& t : threads) t.join();
        if (error_) std::rethrow_exception(error_);
    }

    void copy_part(S3Client& client, uint64_t part) {
        const uint64_t first = part * plan_.part_size;
        const uint64_t last = std::min(size_, first + plan_.part_size) - 1;
        S3Request req{"UploadPartCopy",
                      "PUT",
                      dst_bucket_,
                      dst_key_,
                      part_query(part + 1, upload_id_),
                      {},
                      {}};
        req.headers.push_back(copy_source(src_bucket_, src_key_));
        req.headers.push_back("x-amz-copy-source-range: bytes=" + std::to_string(first) + "-" +
                              std::to_string(last));
        if (!etag_.empty()) req.headers.push_back("x-amz-copy-source-if-match: \"" + etag_ + "\"");
        etags_[part] = part_etag(req, client.perform(req, {}, /*error_in_success_body=*/true).body);
    }

    S3Client& client_;
    const std::string& src_bucket_;
    const std::string& src_key_;
    const std::string& dst_bucket_;
    const std::string& dst_key_;
    uint64_t size_;
    const std::string& etag_;
    CopyPlan plan_;
    std::string upload_id_;
    std::vector<std::string> etags_;
    std::atomic<uint64_t> next_part_{0};
    std::atomic<bool> failed_{false};
    std::mutex mutex_;
    std::exception_ptr error_;
};

}  // namespace

CopyPlan plan_copy(uint64_t size, uint64_t part_size) {
    part_size = std::max({part_size, kMinPart, (size + kMaxParts - 1) / kMaxParts});
    if (size <= part_size) return {};
    return {part_size, (size + part_size - 1) / part_size};
}

void copy_object(S3Client& client, const std::string& src_bucket, const std::string& src_key,
                 const std::string& dst_bucket, const std::string& dst_key, uint64_t size,
                 const std::string& etag) {
    CopyPlan plan = plan_copy(size, client.config().copy_part_size);
    if (plan.parts == 0) return single_copy(client, src_bucket, src_key, dst_bucket, dst_key);
    try {
        MultipartCopy(client, src_bucket, src_key, dst_bucket, dst_key, size, etag, plan).run();
    } catch (const S3HttpError& e) {
        if (e.status != 501 || size > kMaxSingleCopy) throw;
        util::log_info("{}: the server has no UploadPartCopy; copying in one request", e.what());
        single_copy(client, src_bucket, src_key, dst_bucket, dst_key);
    }
}

}  // namespace gdx::store::s3
