#pragma once
// An ObjectWriter collecting everything in memory, for unit tests of code that writes objects.
#include <string>
#include <string_view>

#include "store/object_store.hpp"

namespace gdx::test {

class StringWriter : public store::ObjectWriter {
public:
    void write(std::string_view bytes) override {
        data += bytes;
        ++writes;
    }
    void commit() override { committed = true; }
    std::string data;
    int writes = 0;
    bool committed = false;
};

}  // namespace gdx::test
