#include "store/s3/s3_client.hpp"

#include <cstdlib>
#include <cstring>

#include "http/curl_support.hpp"
#include "store/s3/s3_codec.hpp"
#include "store/s3/s3_xml.hpp"
#include "util/env.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace gdx::store::s3 {
namespace {

size_t read_upload(char* dst, size_t size, size_t n, void* user) {
    auto* t = static_cast<PreparedTransfer*>(user);
    size_t len = std::min(size * n, t->upload.size());
    std::memcpy(dst, t->upload.data(), len);
    t->upload.remove_prefix(len);
    return len;
}

// curl rewinds when it re-sends a body (e.g. on a reused connection the server closed).
int seek_upload(void* user, curl_off_t offset, int origin) {
    auto* t = static_cast<PreparedTransfer*>(user);
    if (origin != SEEK_SET || offset < 0 || static_cast<size_t>(offset) > t->upload_all.size()) {
        return CURL_SEEKFUNC_CANTSEEK;
    }
    t->upload = t->upload_all.substr(static_cast<size_t>(offset));
    return CURL_SEEKFUNC_OK;
}

bool transient_code(std::string_view code) {
    return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
           code == "ServiceUnavailable" || code == "Throttling" || code == "ThrottlingException" ||
           code == "RequestLimitExceeded" || code == "OperationAborted";
}

}  // namespace

S3Config S3Config::from_env() {
    S3Config c;
    c.endpoint = util::env_string("AWS_ENDPOINT_URL_S3");
    if (c.endpoint.empty()) c.endpoint = util::env_string("AWS_ENDPOINT_URL");
    while (!c.endpoint.empty() && c.endpoint.back() == '/') c.endpoint.pop_back();
    c.region = util::env_string("AWS_REGION");
    if (c.region.empty()) c.region = util::env_string("AWS_DEFAULT_REGION");
    if (c.region.empty()) c.region = "us-east-1";
    c.part_size = static_cast<size_t>(
        util::env_integer("GDX_S3_PART_SIZE", static_cast<long>(c.part_size), 1));
    c.copy_part_size = static_cast<uint64_t>(
        util::env_integer("GDX_S3_COPY_PART_SIZE", static_cast<long>(c.copy_part_size), 1));
    c.upload_concurrency = static_cast<int>(
        util::env_integer("GDX_S3_UPLOAD_CONCURRENCY", c.upload_concurrency, 1, 64));
    c.get_concurrency =
        static_cast<int>(util::env_integer("GDX_S3_GET_CONCURRENCY", c.get_concurrency, 1, 64));
    c.get_range_size = static_cast<size_t>(
        util::env_integer("GDX_S3_GET_RANGE_SIZE", static_cast<long>(c.get_range_size), 64 * 1024));
    c.stall_timeout_s = util::env_integer("GDX_S3_STALL_SECONDS", c.stall_timeout_s, 1);
    c.retry = util::RetryPolicy::from_env();
    return c;
}

std::string s3_url_for_message(const std::string& bucket, const std::string& key) {
    return "s3://" + bucket + "/" + key;
}

void throw_http_error(const S3Request& req, long status, std::string_view body) {
    auto error = parse_error(body);
    std::string msg = "S3 " + std::string(req.operation) + " " +
                      s3_url_for_message(req.bucket, req.key) + " failed: HTTP " +
                      std::to_string(status);
    if (error && !error->code.empty()) msg += " " + error->code;
    if (error && !error->message.empty()) msg += ": " + error->message;
    // 501 Not Implemented is the server's final word, unlike the other 5xx.
    bool transient =
        (status >= 500 && status != 501) || status == 429 || (error && transient_code(error->code));
    throw S3HttpError(msg, transient, status, error ? error->code : std::string());
}

void throw_curl_error(const S3Request& req, CURLcode code, const char* detail) {
    std::string msg = "S3 " + std::string(req.operation) + " " +
                      s3_url_for_message(req.bucket, req.key) +
                      " failed: " + curl_easy_strerror(code);
    if (detail && *detail) msg += std::string(" (") + detail + ")";
    bool transient = http::transient_curl_code(code);
    throw BackendError(msg, transient);
}

S3Client::S3Client(S3Config config) : config_(std::move(config)), easy_(curl_easy_init()) {
    if (!easy_) throw BackendError("curl_easy_init failed");
    credentials_ = config_.credentials;
    sigv4_ = "aws:amz:" + config_.region + ":s3";
}

S3Client::~S3Client() {
    curl_easy_cleanup(easy_);
}

const AwsCredentials& S3Client::credentials() {
    using namespace std::chrono;
    bool stale = credentials_ && credentials_->expiration &&
                 system_clock::now() + minutes(5) >= *credentials_->expiration;
    if (!credentials_ || (stale && !config_.credentials)) {
        credentials_ = resolve_credentials();
        registered_ = false;
    }
    if (!registered_) {  // keep them out of every log line and message
        util::add_secret(credentials_->secret_access_key);
        util::add_secret(credentials_->session_token);
        registered_ = true;
    }
    return *credentials_;
}

std::string S3Client::url(const std::string& bucket, const std::string& key,
                          const std::string& query) const {
    std::string u;
    if (!config_.endpoint.empty()) {
        u = config_.endpoint + "/" + uri_encode(bucket, false) + "/" + uri_encode(key, true);
    } else {
        u = "https://" + bucket + ".s3." + config_.region + ".amazonaws.com/" +
            uri_encode(key, true);
    }
    if (!query.empty()) u += "?" + query;
    return u;
}

void S3Client::prepare(CURL* easy, const S3Request& req, PreparedTransfer& t) {
    const AwsCredentials& creds = credentials();
    curl_easy_reset(easy);  // keeps the connection cache
    t.url = url(req.bucket, req.key, req.query);
    t.response = S3Response{};
    t.error[0] = '\0';
    bool has_body = std::strcmp(req.method, "PUT") == 0 || std::strcmp(req.method, "POST") == 0;

    curl_slist_free_all(t.headers);
    t.headers = nullptr;
    std::string payload_hash = "x-amz-content-sha256: " + sha256_hex(has_body ? req.body : "");
    t.headers = curl_slist_append(t.headers, payload_hash.c_str());
    if (!creds.session_token.empty()) {
        t.headers =
            curl_slist_append(t.headers, ("x-amz-security-token: " + creds.session_token).c_str());
    }
    // No "Expect:" line to suppress 100-continue: libcurl 7.88 signs every CURLOPT_HTTPHEADER
    // entry, so it would sign an empty "expect" header it then does not send, and every
    // verifying server rejects the signature. The Expect it adds itself is not signed; a
    // short timeout keeps servers that never answer 100 from stalling each upload.
    for (const auto& h : req.headers) t.headers = curl_slist_append(t.headers, h.c_str());

    curl_easy_setopt(easy, CURLOPT_URL, t.url.c_str());
    curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);  // keys may contain "." or ".." segments
    curl_easy_setopt(easy, CURLOPT_AWS_SIGV4, sigv4_.c_str());
    curl_easy_setopt(easy, CURLOPT_USERNAME, creds.access_key_id.c_str());
    curl_easy_setopt(easy, CURLOPT_PASSWORD, creds.secret_access_key.c_str());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, t.headers);
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT, config_.connect_timeout_s);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, config_.stall_timeout_s);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, t.error);
    curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, http::capture_header);
    curl_easy_setopt(easy, CURLOPT_HEADERDATA, &t.response);

    if (std::strcmp(req.method, "HEAD") == 0) {
        curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
    } else if (has_body) {
        t.upload = t.upload_all = req.body;
        curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(easy, CURLOPT_EXPECT_100_TIMEOUT_MS, 200L);
        curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
        curl_easy_setopt(easy, CURLOPT_READFUNCTION, read_upload);
        curl_easy_setopt(easy, CURLOPT_READDATA, &t);
        curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, seek_upload);
        curl_easy_setopt(easy, CURLOPT_SEEKDATA, &t);
        if (std::strcmp(req.method, "POST") == 0)
            curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, "POST");
    } else if (std::strcmp(req.method, "GET") != 0) {
        curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req.method);
    }
}

S3Response S3Client::perform_once(const S3Request& req, std::initializer_list<long> accepted,
                                  bool error_in_success_body) {
    PreparedTransfer t;
    prepare(easy_, req, t);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, http::append_body);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, &t.response.body);
    CURLcode rc = curl_easy_perform(easy_);
    if (rc != CURLE_OK) throw_curl_error(req, rc, t.error);
    curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &t.response.status);
    long status = t.response.status;
    bool ok = status >= 200 && status < 300;
    for (long a : accepted) ok = ok || status == a;
    if (!ok) throw_http_error(req, status, t.response.body);
    if (error_in_success_body && status < 300 && parse_error(t.response.body)) {
        throw_http_error(req, status, t.response.body);
    }
    return std::move(t.response);
}

S3Response S3Client::perform(const S3Request& req, std::initializer_list<long> accepted,
                             bool error_in_success_body) {
    std::string what =
        "S3 " + std::string(req.operation) + " " + s3_url_for_message(req.bucket, req.key);
    return util::with_retry(config_.retry, what,
                            [&] { return perform_once(req, accepted, error_in_success_body); });
}

}  // namespace gdx::store::s3
