#pragma once
// A filter that turns every TAB of decoded text into a space before parsing, as the CMS Lite
// original did to the whole export.
#include <cstring>

#include "csv/byte_source.hpp"

namespace gdx::csv {

class TabToSpace : public ByteSource {
public:
    explicit TabToSpace(ByteSource& in) : in_(in) {}
    size_t read(char* dst, size_t capacity) override {
        const size_t n = in_.read(dst, capacity);
        for (char* p = dst; (p = static_cast<char*>(std::memchr(p, '\t', dst + n - p)));) *p = ' ';
        return n;
    }

private:
    ByteSource& in_;
};

}  // namespace gdx::csv
