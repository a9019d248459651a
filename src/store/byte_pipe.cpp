#include "store/byte_pipe.hpp"

#include <algorithm>
#include <cstring>

namespace gdx::store {

BytePipe::BytePipe(size_t capacity) : ring_(std::max<size_t>(capacity, 1)) {}

void BytePipe::write(std::string_view bytes) {
    std::unique_lock lock(mutex_);
    while (!bytes.empty()) {
        writable_.wait(lock, [&] { return cancelled_ || size_ < ring_.size(); });
        if (cancelled_) throw PipeCancelled();
        // Copy into the free space after the buffered bytes, wrapping at the end of the ring.
        size_t tail = (head_ + size_) % ring_.size();
        size_t n = std::min({bytes.size(), ring_.size() - size_, ring_.size() - tail});
        std::memcpy(ring_.data() + tail, bytes.data(), n);
        size_ += n;
        bytes.remove_prefix(n);
        readable_.notify_one();
    }
}

void BytePipe::close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    readable_.notify_one();
}

void BytePipe::fail(std::exception_ptr error) {
    std::lock_guard lock(mutex_);
    error_ = std::move(error);
    closed_ = true;
    readable_.notify_one();
}

size_t BytePipe::read(char* dst, size_t capacity) {
    std::unique_lock lock(mutex_);
    readable_.wait(lock, [&] { return error_ || size_ > 0 || closed_; });
    if (error_) std::rethrow_exception(error_);
    size_t n = std::min({capacity, size_, ring_.size() - head_});
    std::memcpy(dst, ring_.data() + head_, n);
    head_ = (head_ + n) % ring_.size();
    size_ -= n;
    writable_.notify_one();
    return n;
}

void BytePipe::cancel() {
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    writable_.notify_one();
}

}  // namespace gdx::store
