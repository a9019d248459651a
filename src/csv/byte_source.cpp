#include "csv/byte_source.hpp"

#include <algorithm>
#include <cstring>

namespace gdx::csv {

ByteSource::~ByteSource() = default;

size_t ObjectSource::read(char* dst, size_t capacity) {
    if (capacity == 0) return 0;
    return reader_.read(dst, capacity);
}

size_t StringSource::read(char* dst, size_t capacity) {
    const size_t n = std::min({capacity, max_chunk_, data_.size()});
    if (n) std::memcpy(dst, data_.data(), n);
    data_.remove_prefix(n);
    return n;
}

}  // namespace gdx::csv
