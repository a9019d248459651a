#pragma once
// Retry with exponential backoff and full jitter (docs/semantics.md#exactly-once): only
// BackendErrors that are retryable() are retried; everything else propagates at once.
#include <chrono>
#include <string_view>
#include <thread>

#include "util/error.hpp"

namespace gdx::util {

struct RetryPolicy {
    int max_attempts = 5;                 // total tries, including the first
    std::chrono::milliseconds base{100};  // delay ceiling of the first retry
    std::chrono::milliseconds cap{5000};  // delay ceiling of every retry

    // Defaults, overridden by GDX_RETRY_BASE_MS, GDX_RETRY_CAP_MS and GDX_RETRY_MAX_ATTEMPTS
    // (tests shrink the delays). Throws ConfigError on a malformed value.
    static RetryPolicy from_env();
};

// Full jitter: uniform in [0, min(cap, base * 2^retry_index)]; retry_index counts from 0.
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry_index);

// Logs one retry (what failed, attempt number, delay); the message never holds secrets
// because BackendError messages never do.
void log_retry(std::string_view what, int attempt, const BackendError& error,
               std::chrono::milliseconds delay);

// Runs fn until it returns, throws something other than a retryable BackendError, or the
// attempts are used up: then the last error is rethrown as it was (same type and kind), marked
// retries_exhausted() with the attempt count in its message.
template <class Fn>
auto with_retry(const RetryPolicy& policy, std::string_view what, Fn&& fn) -> decltype(fn()) {
    for (int attempt = 1;; ++attempt) {
        try {
            return fn();
        } catch (BackendError& e) {
            if (!e.retryable()) throw;
            if (attempt >= policy.max_attempts) {
                e.give_up(attempt);
                throw;
            }
            auto delay = backoff_delay(policy, attempt - 1);
            log_retry(what, attempt, e, delay);
            std::this_thread::sleep_for(delay);
        }
    }
}

}  // namespace gdx::util
