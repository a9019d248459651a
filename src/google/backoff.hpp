#pragma once
// The retry timing of every Google call: exponential backoff with full jitter (base 1 s,
// cap 64 s, 8 attempts), at least what a Retry-After header asks for, all scaled by
// GDX_BACKOFF_SCALE.
#include <chrono>
#include <optional>
#include <string_view>

#include "util/retry.hpp"

namespace gdx::google {

struct BackoffPolicy {
    util::RetryPolicy retry{8, std::chrono::milliseconds(1000), std::chrono::milliseconds(64000)};
    double scale = 1.0;  // 0: no sleeping at all
};

// Retry-After as delta-seconds ("120") or an HTTP-date ("Wed, 21 Oct 2026 07:28:00 GMT");
// nullopt when absent or unreadable. A date in the past gives 0.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

// The unscaled wait before retry number `retry_index` (0-based).
std::chrono::milliseconds retry_wait(const BackoffPolicy& policy, int retry_index,
                                     std::optional<std::chrono::milliseconds> retry_after);

}  // namespace gdx::google
