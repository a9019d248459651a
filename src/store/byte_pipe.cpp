#include "store/byte_pipe.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "util/error.hpp"

namespace gdx::store {
namespace {

class MemoryRing : public RingStorage {
public:
    explicit MemoryRing(size_t capacity) : bytes_(capacity) {}
    void put(size_t offset, const char* src, size_t n) override {
        std::memcpy(bytes_.data() + offset, src, n);
    }
    void get(size_t offset, char* dst, size_t n) override {
        std::memcpy(dst, bytes_.data() + offset, n);
    }

private:
    std::vector<char> bytes_;
};

class FileRing : public RingStorage {
public:
    explicit FileRing(const std::string& dir) : dir_(dir) {
        fd_ = ::open(dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd_ < 0) {  // no O_TMPFILE on this file system: create and unlink at once
            std::string path = dir + "/gdx-spool-XXXXXX";
            fd_ = ::mkstemp(path.data());
            if (fd_ >= 0) ::unlink(path.c_str());
        }
        if (fd_ < 0) fail("create a spool file in");
    }
    ~FileRing() override { ::close(fd_); }
    void put(size_t offset, const char* src, size_t n) override {
        whole(::pwrite, src, n, offset, "write the spool file in");
    }
    void get(size_t offset, char* dst, size_t n) override {
        whole(::pread, dst, n, offset, "read the spool file in");
    }

private:
    // pread/pwrite until all n bytes are moved (they may move fewer, or be interrupted).
    template <class Io, class Bytes>
    void whole(Io io, Bytes* bytes, size_t n, size_t offset, const char* what) {
        while (n > 0) {
            ssize_t done = io(fd_, bytes, n, static_cast<off_t>(offset));
            if (done < 0 && errno == EINTR) continue;
            if (done <= 0) fail(what);
            bytes += done;
            offset += static_cast<size_t>(done);
            n -= static_cast<size_t>(done);
        }
    }
    [[noreturn]] void fail(const char* what) {
        throw BackendError(std::string("cannot ") + what + " " + dir_ + ": " +
                           (errno ? std::strerror(errno) : "short transfer"));
    }
    std::string dir_;
    int fd_ = -1;
};

}  // namespace

std::unique_ptr<RingStorage> memory_ring(size_t capacity) {
    return std::make_unique<MemoryRing>(capacity);
}

std::unique_ptr<RingStorage> file_ring(const std::string& dir) {
    return std::make_unique<FileRing>(dir);
}

BytePipe::BytePipe(size_t capacity)
    : BytePipe(capacity, memory_ring(std::max<size_t>(capacity, 1))) {}

BytePipe::BytePipe(size_t capacity, std::unique_ptr<RingStorage> storage)
    : capacity_(std::max<size_t>(capacity, 1)), storage_(std::move(storage)) {}

void BytePipe::write(std::string_view bytes) {
    while (!bytes.empty()) {
        size_t tail, n;
        {
            std::unique_lock lock(mutex_);
            writable_.wait(lock, [&] { return cancelled_ || size_ < capacity_; });
            if (cancelled_) throw PipeCancelled();
            // The free space after the buffered bytes, up to the end of the ring.
            tail = (head_ + size_) % capacity_;
            n = std::min({bytes.size(), capacity_ - size_, capacity_ - tail});
        }
        storage_->put(tail, bytes.data(), n);  // only the producer touches the free space
        {
            std::lock_guard lock(mutex_);
            size_ += n;
        }
        readable_.notify_one();
        bytes.remove_prefix(n);
    }
}

void BytePipe::close() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    readable_.notify_one();
}

void BytePipe::fail(std::exception_ptr error) {
    {
        std::lock_guard lock(mutex_);
        error_ = std::move(error);
        closed_ = true;
    }
    readable_.notify_one();
}

size_t BytePipe::read(char* dst, size_t capacity) {
    size_t head, n;
    {
        std::unique_lock lock(mutex_);
        readable_.wait(lock, [&] { return error_ || size_ > 0 || closed_; });
        if (error_) std::rethrow_exception(error_);
        head = head_;
        n = std::min({capacity, size_, capacity_ - head_});
    }
    if (n == 0) return 0;
    storage_->get(head, dst, n);  // only the consumer touches the buffered bytes
    {
        std::lock_guard lock(mutex_);
        head_ = (head_ + n) % capacity_;
        size_ -= n;
    }
    writable_.notify_one();
    return n;
}

bool BytePipe::fully_read() {
    std::lock_guard lock(mutex_);
    return closed_ && !error_ && size_ == 0;
}

void BytePipe::cancel() {
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
    }
    writable_.notify_one();
}

}  // namespace gdx::store
