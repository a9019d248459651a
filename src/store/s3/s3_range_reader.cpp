#include "store/s3/s3_range_reader.hpp"

#include <algorithm>
#include <cstring>

#include "store/s3/s3_multipart.hpp"
#include "util/error.hpp"
#include "util/retry.hpp"

namespace gdx::store::s3 {
namespace {

size_t append_body(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

}  // namespace

size_t range_window(const S3Config& config, uint64_t size) {
    const auto most = static_cast<size_t>(std::max(config.get_concurrency, 1));
    return size >= kWideObjectBytes ? most : std::min(most, kMidObjectWindow);
}

S3RangeReader::S3RangeReader(S3Client& client, std::string bucket, std::string key, uint64_t size,
                             std::string etag)
    : bucket_(std::move(bucket)),
      key_(std::move(key)),
      size_(size),
      etag_(std::move(etag)),
      range_size_(std::max<uint64_t>(client.config().get_range_size, 1)),
      ranges_((size + range_size_ - 1) / range_size_),
      window_(range_window(client.config(), size)) {
    const size_t threads = static_cast<size_t>(std::min<uint64_t>(window_, ranges_));
    for (size_t i = 0; i < threads; ++i)
        workers_.emplace_back(&S3RangeReader::work, this, config_for_worker(client));
}

S3RangeReader::~S3RangeReader() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    for (auto& t : workers_) t.join();
}

uint64_t S3RangeReader::peak_buffered() const {
    std::lock_guard lock(mutex_);
    return peak_buffered_;
}

void S3RangeReader::work(S3Config config) {
    try {
        S3Client client(std::move(config));
        CURL* easy = curl_easy_init();
        if (!easy) throw BackendError("curl_easy_init failed");
        std::unique_ptr<CURL, void (*)(CURL*)> owner(easy, curl_easy_cleanup);
        for (;;) {
            uint64_t index = 0;
            {
                std::unique_lock lock(mutex_);
                // A range starts only inside the window after the one being read: memory stays
                // at `window_` ranges however far ahead the network runs.
                changed_.wait(lock, [&] {
                    return stopping_ || error_ || next_to_fetch_ >= ranges_ ||
                           next_to_fetch_ < next_to_read_ + window_;
                });
                if (stopping_ || error_ || next_to_fetch_ >= ranges_) return;
                index = next_to_fetch_++;
                const uint64_t length = std::min(range_size_, size_ - index * range_size_);
                buffered_ += length;
                peak_buffered_ = std::max(peak_buffered_, buffered_);
            }
            std::string bytes = fetch(client, easy, index);
            {
                std::lock_guard lock(mutex_);
                ready_.emplace(index, std::move(bytes));
            }
            changed_.notify_all();
        }
    } catch (...) {
        {
            std::lock_guard lock(mutex_);
            if (!error_) error_ = std::current_exception();
        }
        changed_.notify_all();
    }
}

std::string S3RangeReader::fetch(S3Client& client, CURL* easy, uint64_t index) {
    const uint64_t first = index * range_size_;
    const uint64_t length = std::min(range_size_, size_ - first);
    // Named in every message, so that a failure says which range.
    const std::string operation =
        "GetObject (range " + std::to_string(index + 1) + " of " + std::to_string(ranges_) + ")";
    S3Request request;
    request.operation = operation;
    request.method = "GET";
    request.bucket = bucket_;
    request.key = key_;
    request.headers.push_back("Range: bytes=" + std::to_string(first) + "-" +
                              std::to_string(first + length - 1));
    if (!etag_.empty()) request.headers.push_back("If-Match: " + etag_);
    const std::string what = "S3 " + operation + " " + s3_url_for_message(bucket_, key_);
    std::string body;
    {
        std::lock_guard lock(mutex_);
        if (!spare_buffers_.empty()) {
            body.swap(spare_buffers_.back());
            spare_buffers_.pop_back();
        }
    }
    return util::with_retry(client.config().retry, what, [&] {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) throw BackendError("read abandoned");
        }
        PreparedTransfer t;
        client.prepare(easy, request, t);
        body.clear();
        body.reserve(length);
        curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, append_body);
        curl_easy_setopt(easy, CURLOPT_WRITEDATA, &body);
        CURLcode rc = curl_easy_perform(easy);
        if (rc != CURLE_OK) throw_curl_error(request, rc, t.error);
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status >= 300) throw_http_error(request, status, body);
        // 200 is the whole object (a server that ignores Range): right only for a range that is.
        const bool whole = status == 200 && first == 0 && length == size_;
        if (status != 206 && !whole) {
            throw BackendError(what + " failed: HTTP " + std::to_string(status) +
                                   " instead of 206 Partial Content",
                               false);
        }
        if (body.size() != length) {
            throw BackendError(what + " failed: " + std::to_string(body.size()) + " of " +
                                   std::to_string(length) + " bytes received",
                               true);
        }
        return std::move(body);
    });
}

size_t S3RangeReader::read(char* dst, size_t capacity) {
    if (capacity == 0) return 0;
    std::unique_lock lock(mutex_);
    if (next_to_read_ >= ranges_) return 0;
    changed_.wait(lock, [&] { return error_ || ready_.count(next_to_read_) > 0; });
    auto it = ready_.find(next_to_read_);
    if (it == ready_.end()) std::rethrow_exception(error_);
    const std::string& range = it->second;
    const size_t n = std::min(capacity, range.size() - read_pos_);
    std::memcpy(dst, range.data() + read_pos_, n);
    read_pos_ += n;
    if (read_pos_ == range.size()) {
        buffered_ -= range.size();
        if (spare_buffers_.size() < window_) spare_buffers_.push_back(std::move(it->second));
        ready_.erase(it);
        read_pos_ = 0;
        ++next_to_read_;
        lock.unlock();
        changed_.notify_all();
    }
    return n;
}

}  // namespace gdx::store::s3
