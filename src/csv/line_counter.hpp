#pragma once
// Internal: counts physical lines (terminated by \n, \r\n or \r) across chunk boundaries,
// so decoders can report the line of an undecodable byte.
#include <algorithm>
#include <cstdint>
#include <cstring>

namespace gdx::csv::detail {

class LineCounter {
  public:
    void feed(const char* p, size_t n) {
        if (n == 0) return;
        if (std::memchr(p, '\r', n) == nullptr) {  // common case: LF or no terminators
            if (pending_cr_ && p[0] != '\n') ++terminators_;
            pending_cr_ = false;
            terminators_ += static_cast<uint64_t>(std::count(p, p + n, '\n'));
            return;
        }
        for (size_t i = 0; i < n; ++i) {
            const char c = p[i];
            if (c == '\n') {
                ++terminators_;
                pending_cr_ = false;
            } else {
                if (pending_cr_) ++terminators_;
                pending_cr_ = (c == '\r');
            }
        }
    }
    // 1-based line of the next byte to be fed.
    uint64_t current_line() const { return 1 + terminators_ + (pending_cr_ ? 1 : 0); }

  private:
    uint64_t terminators_ = 0;
    bool pending_cr_ = false;
};

}  // namespace gdx::csv::detail
