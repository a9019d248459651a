#include "store/s3/s3_reader.hpp"

#include <cstdlib>
#include <cstring>
#include <thread>

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/retry.hpp"

namespace gdx::store::s3 {
namespace {
constexpr size_t kHighWater = 256 * 1024;  // pause the transfer above this many unread bytes
}

S3Reader::S3Reader(S3Client& client, std::string bucket, std::string key)
    : client_(client), easy_(curl_easy_init()), multi_(curl_multi_init()) {
    if (!easy_ || !multi_) {
        if (easy_) curl_easy_cleanup(easy_);
        if (multi_) curl_multi_cleanup(multi_);
        throw BackendError("curl initialisation failed");
    }
    request_.operation = "GetObject";
    request_.method = "GET";
    request_.bucket = std::move(bucket);
    request_.key = std::move(key);
    try {
        start();
        while (status_ == 0 && pump()) {
        }
    } catch (...) {
        if (attached_) curl_multi_remove_handle(multi_, easy_);
        curl_easy_cleanup(easy_);
        curl_multi_cleanup(multi_);
        throw;
    }
}

S3Reader::~S3Reader() {
    if (attached_) curl_multi_remove_handle(multi_, easy_);
    curl_easy_cleanup(easy_);
    curl_multi_cleanup(multi_);
}

void S3Reader::start() {
    if (attached_) curl_multi_remove_handle(multi_, easy_);
    attached_ = false;
    request_.headers.clear();
    if (delivered_ > 0) {
        // Resume where the last attempt stopped, and only if the object is still the same.
        request_.headers.push_back("Range: bytes=" + std::to_string(delivered_) + "-");
        if (!etag_.empty()) request_.headers.push_back("If-Match: " + etag_);
    }
    client_.prepare(easy_, request_, transfer_);
    curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &S3Reader::on_data);
    curl_easy_setopt(easy_, CURLOPT_WRITEDATA, this);
    status_ = 0;
    error_body_.clear();
    paused_ = false;
    skip_ = 0;
    if (curl_multi_add_handle(multi_, easy_) != CURLM_OK) {
        throw BackendError("curl_multi_add_handle failed");
    }
    attached_ = true;
}

size_t S3Reader::on_data(char* data, size_t size, size_t n, void* self) {
    return static_cast<S3Reader*>(self)->accept(data, size * n);
}

size_t S3Reader::accept(const char* data, size_t len) {
    if (status_ == 0) {
        curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status_);
        if (status_ == 200 && delivered_ > 0) skip_ = delivered_;  // Range ignored: re-sent
        if (etag_.empty()) etag_ = transfer_.response.header("etag");
    }
    if (status_ < 200 || status_ >= 300) {
        if (error_body_.size() < 64 * 1024) error_body_.append(data, len);
        return len;
    }
    if (buffer_.size() - buffer_pos_ >= kHighWater) {
        paused_ = true;
        return CURL_WRITEFUNC_PAUSE;  // curl keeps these bytes and offers them again later
    }
    size_t dropped = static_cast<size_t>(std::min<uint64_t>(skip_, len));
    skip_ -= dropped;
    if (buffer_pos_ > 0 && buffer_pos_ == buffer_.size()) {
        buffer_.clear();
        buffer_pos_ = 0;
    }
    buffer_.append(data + dropped, len - dropped);
    delivered_ += len - dropped;
    return len;
}

bool S3Reader::pump() {
    if (done_) return false;
    int running = 0;
    CURLMcode mc = curl_multi_perform(multi_, &running);
    if (mc != CURLM_OK)
        throw BackendError(std::string("curl_multi_perform: ") + curl_multi_strerror(mc));
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
        if (msg->msg == CURLMSG_DONE && msg->easy_handle == easy_) {
            finish(msg->data.result);
            return !done_;
        }
    }
    if (running > 0 && buffer_pos_ == buffer_.size()) {
        curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
    return true;
}

void S3Reader::finish(CURLcode rc) {
    if (status_ == 0) curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status_);
    try {
        if (rc != CURLE_OK) throw_curl_error(request_, rc, transfer_.error);
        if (status_ == 416 && delivered_ > 0 && !etag_.empty()) {
            // A resume (If-Match: the same object) whose range starts at the object's end: an
            // earlier answer declared more bytes than the object has (a wrong Content-Length)
            // and every byte was delivered. The object is exactly delivered_ bytes long.
            util::log_warn(
                "S3 GetObject {}: the object ends at byte {}, before the length an "
                "earlier answer declared",
                s3_url_for_message(request_.bucket, request_.key), delivered_);
            done_ = true;
            return;
        }
        if (status_ < 200 || status_ >= 300) throw_http_error(request_, status_, error_body_);
        done_ = true;
    } catch (BackendError& e) {
        const auto& policy = client_.config().retry;
        if (!e.retryable()) throw;
        if (attempt_ >= policy.max_attempts) {
            e.give_up(attempt_);
            throw;
        }
        auto delay = util::backoff_delay(policy, attempt_ - 1);
        util::log_retry("S3 GetObject " + s3_url_for_message(request_.bucket, request_.key),
                        attempt_, e, delay);
        std::this_thread::sleep_for(delay);
        ++attempt_;
        start();
    }
}

uint64_t S3Reader::object_size() const {
    const std::string length = transfer_.response.header("content-length");
    return std::strtoull(length.c_str(), nullptr, 10);
}

size_t S3Reader::read(char* dst, size_t capacity) {
    if (capacity == 0) return 0;
    while (buffer_pos_ == buffer_.size()) {
        if (done_) return 0;
        if (paused_) {
            paused_ = false;
            curl_easy_pause(easy_, CURLPAUSE_CONT);  // may deliver data synchronously
            continue;
        }
        pump();
    }
    size_t n = std::min(capacity, buffer_.size() - buffer_pos_);
    std::memcpy(dst, buffer_.data() + buffer_pos_, n);
    buffer_pos_ += n;
    return n;
}

}  // namespace gdx::store::s3
