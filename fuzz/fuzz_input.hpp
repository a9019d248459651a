#pragma once
// Splits one libFuzzer input into the parameters of a target: option bytes first, then text
// parts separated by '\n' (formats, patterns), then the rest (the data). Seeds in
// fuzz/corpus/<target>/ are written in this layout.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace gdx::fuzz {

class FuzzInput {
public:
    FuzzInput(const uint8_t* data, size_t size)
        : rest_(reinterpret_cast<const char*>(data), size) {}

    // The next byte, or 0 when the input is exhausted.
    uint8_t byte() {
        if (rest_.empty()) return 0;
        auto b = static_cast<uint8_t>(rest_[0]);
        rest_.remove_prefix(1);
        return b;
    }
    // Text up to the next '\n' (not included), or all of the rest.
    std::string_view line() {
        size_t nl = rest_.find('\n');
        std::string_view l = rest_.substr(0, nl);
        rest_.remove_prefix(nl == std::string_view::npos ? rest_.size() : nl + 1);
        return l;
    }
    std::string_view rest() const { return rest_; }

private:
    std::string_view rest_;
};

// A broken invariant: abort so that libFuzzer records the input as a crash.
inline void check(bool ok) {
    if (!ok) std::abort();
}

}  // namespace gdx::fuzz
