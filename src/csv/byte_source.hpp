#pragma once
// Pull-based byte streams feeding the text layer: raw object bytes, decoded UTF-8, test strings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/object_store.hpp"

namespace gdx::csv {

// A stream of bytes. read() fills up to `capacity` bytes and returns how many it wrote;
// 0 means end of stream (never returned while bytes remain).
class ByteSource {
public:
    virtual ~ByteSource();
    virtual size_t read(char* dst, size_t capacity) = 0;
};

// Raw bytes of a stored object, passed through untouched (decoding is a separate layer).
class ObjectSource : public ByteSource {
public:
    explicit ObjectSource(store::ObjectReader& reader) : reader_(reader) {}
    size_t read(char* dst, size_t capacity) override;

private:
    store::ObjectReader& reader_;
};

// Bytes of a string that outlives the source (tests, small in-memory inputs).
// `max_chunk` caps each read() to exercise callers' chunk-boundary handling.
// Raw bytes of an object, counting what was read (for progress and reports).
class CountingSource : public ByteSource {
public:
    explicit CountingSource(store::ObjectReader& reader) : reader_(reader) {}
    size_t read(char* dst, size_t capacity) override {
        size_t n = reader_.read(dst, capacity);
        bytes += n;
        return n;
    }
    uint64_t bytes = 0;

private:
    store::ObjectReader& reader_;
};

class StringSource : public ByteSource {
public:
    explicit StringSource(std::string_view data, size_t max_chunk = static_cast<size_t>(-1))
        : data_(data), max_chunk_(max_chunk) {}
    size_t read(char* dst, size_t capacity) override;

private:
    std::string_view data_;
    size_t max_chunk_;
};

}  // namespace gdx::csv
