#pragma once
// A bounded, blocking byte pipe between one producer thread and one consumer thread. The batch
// flows through it from the transform into the warehouse's load while it is also being written
// to the store, so the load does not wait for the whole batch (jobs/load_while_writing.hpp).
// The ring lives in memory, or in an unlinked temporary file (a spool: the producer can run far
// ahead of a slow consumer without growing the process's memory; the page cache holds it).
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "store/object_store.hpp"

namespace gdx::store {

// Thrown to the producer once the consumer has stopped reading.
class PipeCancelled : public std::runtime_error {
public:
    PipeCancelled() : std::runtime_error("the reader of the pipe stopped") {}
};

// Where the ring's bytes are kept.
class RingStorage {
public:
    virtual ~RingStorage() = default;
    virtual void put(size_t offset, const char* src, size_t n) = 0;
    virtual void get(size_t offset, char* dst, size_t n) = 0;
};
std::unique_ptr<RingStorage> memory_ring(size_t capacity);
// An unlinked file in `dir` (e.g. the temporary directory). Throws BackendError.
std::unique_ptr<RingStorage> file_ring(const std::string& dir);

class BytePipe {
public:
    explicit BytePipe(size_t capacity = 4 << 20);
    BytePipe(size_t capacity, std::unique_ptr<RingStorage> storage);
    BytePipe(const BytePipe&) = delete;
    BytePipe& operator=(const BytePipe&) = delete;

    // Producer side. write() blocks while the pipe is full and throws PipeCancelled once the
    // consumer has cancelled. close() ends the stream; fail() ends it with an error that the
    // consumer's next read() rethrows (whatever is still buffered is dropped).
    void write(std::string_view bytes);
    void close();
    void fail(std::exception_ptr error);

    // Consumer side. read() blocks while the pipe is empty; returns 0 at the end of the stream.
    // cancel() tells the producer nobody reads any more.
    size_t read(char* dst, size_t capacity);
    void cancel();
    // True once the stream ended normally and every byte of it was read.
    bool fully_read();

    // The consumer side as an ObjectReader (for loaders that read a stored batch).
    ObjectReader& reader() { return reader_; }

private:
    class Reader : public ObjectReader {
    public:
        explicit Reader(BytePipe& pipe) : pipe_(pipe) {}
        size_t read(char* dst, size_t capacity) override { return pipe_.read(dst, capacity); }

    private:
        BytePipe& pipe_;
    };

    // One producer and one consumer: each copies its bytes outside the lock, into or out of
    // the part of the ring that only it owns, then publishes the new count under the lock.
    const size_t capacity_;
    std::unique_ptr<RingStorage> storage_;
    std::mutex mutex_;
    std::condition_variable readable_;
    std::condition_variable writable_;
    size_t head_ = 0;  // ring offset of the next byte to read
    size_t size_ = 0;  // bytes buffered
    bool closed_ = false;
    bool cancelled_ = false;
    std::exception_ptr error_;
    Reader reader_{*this};
};

// Writes to an object and into a pipe; commit() commits the object first and only then closes
// the pipe, so a consumer that saw the end of the stream knows the object exists.
class TeeWriter : public ObjectWriter {
public:
    TeeWriter(ObjectWriter& object, BytePipe& pipe) : object_(object), pipe_(pipe) {}
    void write(std::string_view bytes) override {
        pipe_.write(bytes);
        object_.write(bytes);
    }
    void commit() override {
        object_.commit();
        pipe_.close();
    }

private:
    ObjectWriter& object_;
    BytePipe& pipe_;
};

}  // namespace gdx::store
