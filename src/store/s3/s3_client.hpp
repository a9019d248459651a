#pragma once
// HTTP requests to S3 through libcurl: URL building, SigV4 signing (curl's own), payload
// hash, timeouts, error classification and retries. One reused easy handle per client, so
// connections are kept alive between requests. Not thread-safe.
#include <curl/curl.h>

#include <cstddef>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_response.hpp"
#include "store/s3/credentials.hpp"
#include "util/retry.hpp"

namespace gdx::store::s3 {

struct S3Config {
    std::string region = "us-east-1";    // AWS_REGION, AWS_DEFAULT_REGION, else us-east-1
    std::string endpoint;                // "http://host:port" -> path-style; empty -> AWS
    size_t part_size = 8 * 1024 * 1024;  // multipart threshold and part size (S3 minimum 5 MiB)
    // Server-side copies above this size run as UploadPartCopy parts of this size, several at
    // a time (CopyObject cannot copy more than 5 GiB, and parts in parallel copy faster).
    uint64_t copy_part_size = 256ull * 1024 * 1024;
    int copy_concurrency = 4;
    // Multipart upload parts sent at once (each on its own connection); memory: this many
    // parts plus the one filling.
    int upload_concurrency = 2;
    // Objects larger than two ranges are read with up to this many ranged GETs at once (own
    // connections), reassembled in order; memory: at most this many ranges. See range_window():
    // objects under 1 GiB use at most 4.
    int get_concurrency = 8;
    size_t get_range_size = 4 * 1024 * 1024;
    int list_page_size = 0;  // ListObjectsV2 max-keys; 0 = the server's default (1000)
    long connect_timeout_s = 10;
    long stall_timeout_s = 60;  // a transfer slower than 1 byte/s for this long is aborted
    util::RetryPolicy retry;
    std::optional<AwsCredentials> credentials;  // fixed; when empty the AWS chain is used

    // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, the region variables, GDX_S3_PART_SIZE,
    // GDX_S3_COPY_PART_SIZE, GDX_S3_UPLOAD_CONCURRENCY, GDX_S3_GET_CONCURRENCY,
    // GDX_S3_GET_RANGE_SIZE, GDX_S3_STALL_SECONDS and the GDX_RETRY_* variables. Throws
    // ConfigError.
    static S3Config from_env();
};

struct S3Request {
    std::string_view operation;  // S3 API name for messages, e.g. "GetObject"
    const char* method = "GET";
    std::string bucket;
    std::string key;                   // empty for bucket-level requests
    std::string query;                 // canonical: sorted, SigV4-encoded, no leading '?'
    std::vector<std::string> headers;  // extra "Name: value" lines
    std::string_view body;             // sent for PUT and POST (hashed into the signature)
};

using S3Response = http::HttpResponse;

// An HTTP error answer of S3: status and S3 error code, for callers that react to one.
class S3HttpError : public BackendError {
public:
    S3HttpError(const std::string& message, bool transient, long status, std::string code)
        : BackendError(message, transient), status(status), code(std::move(code)) {}
    long status;
    std::string code;  // e.g. "NotImplemented", "AccessDenied"; empty when the body had none
};

// "s3://bucket/key" for messages.
std::string s3_url_for_message(const std::string& bucket, const std::string& key);

// Throws the BackendError for a finished request: transient for 5xx, 429 and throttling or
// timeout codes; permanent otherwise. The message names operation, object, status and code.
[[noreturn]] void throw_http_error(const S3Request& req, long status, std::string_view body);
// Same for a transport failure (transient for timeouts, resets, refused connections).
[[noreturn]] void throw_curl_error(const S3Request& req, CURLcode code, const char* detail);

// The state one transfer needs while it runs; owned by whoever runs the easy handle.
class PreparedTransfer {
public:
    PreparedTransfer() = default;
    PreparedTransfer(const PreparedTransfer&) = delete;
    PreparedTransfer& operator=(const PreparedTransfer&) = delete;
    ~PreparedTransfer() { curl_slist_free_all(headers); }

    curl_slist* headers = nullptr;
    std::string_view upload;      // bytes not yet handed to curl
    std::string_view upload_all;  // the whole body, for curl's rewinds on a resend
    std::string url;
    char error[CURL_ERROR_SIZE] = {0};
    S3Response response;  // headers (and body, for client-run transfers) land here
};

class S3Client {
public:
    explicit S3Client(S3Config config);
    ~S3Client();
    S3Client(const S3Client&) = delete;
    S3Client& operator=(const S3Client&) = delete;

    const S3Config& config() const { return config_; }
    // The credentials in use (resolved through the chain on first use, refreshed when they
    // are about to expire); e.g. to hand to a client on another thread.
    const AwsCredentials& credentials();

    // Runs one request with retries. A status outside 2xx throws unless it is in `accepted`
    // (e.g. 404 for HeadObject), in which case the response is returned. With
    // error_in_success_body, a 2xx whose body is an <Error> document (CopyObject,
    // CompleteMultipartUpload) fails like the equivalent error status.
    S3Response perform(const S3Request& req, std::initializer_list<long> accepted = {},
                       bool error_in_success_body = false);

    // Resets `easy` and configures it for req: URL, method, signing, headers, timeouts, the
    // upload body and header capture into t.response. The caller sets the write callback.
    void prepare(CURL* easy, const S3Request& req, PreparedTransfer& t);

    std::string url(const std::string& bucket, const std::string& key,
                    const std::string& query) const;

private:
    S3Response perform_once(const S3Request& req, std::initializer_list<long> accepted,
                            bool error_in_success_body);

    S3Config config_;
    std::optional<AwsCredentials> credentials_;
    bool registered_ = false;  // credentials_ handed to the log redaction
    std::string sigv4_;
    CURL* easy_ = nullptr;
};

}  // namespace gdx::store::s3
