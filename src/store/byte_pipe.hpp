#pragma once
// A bounded, blocking byte pipe between one producer thread and one consumer thread. The batch
// flows through it from the transform into the warehouse's load while it is also being written
// to the store, so the load does not wait for the whole batch (jobs/load_while_writing.hpp).
#include <condition_variable>
#include <exception>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "store/object_store.hpp"

namespace gdx::store {

// Thrown to the producer once the consumer has stopped reading.
class PipeCancelled : public std::runtime_error {
public:
    PipeCancelled() : std::runtime_error("the reader of the pipe stopped") {}
};

class BytePipe {
public:
    explicit BytePipe(size_t capacity = 4 << 20);
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

    std::mutex mutex_;
    std::condition_variable readable_;
    std::condition_variable writable_;
    std::vector<char> ring_;
    size_t head_ = 0;  // next byte to read
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
        object_.write(bytes);
        pipe_.write(bytes);
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
