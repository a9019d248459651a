#include "util/retry.hpp"

#include "util/env.hpp"
#include "util/log.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <random>
#include <string>

namespace gdx::util {
RetryPolicy RetryPolicy::from_env() {
    RetryPolicy p;
    p.base = std::chrono::milliseconds(env_integer("GDX_RETRY_BASE_MS", p.base.count(), 0));
    p.cap = std::chrono::milliseconds(env_integer("GDX_RETRY_CAP_MS", p.cap.count(), 0));
    p.max_attempts = static_cast<int>(env_integer("GDX_RETRY_MAX_ATTEMPTS", p.max_attempts, 1));
    return p;
}

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry_index) {
    // Doubling saturates well before overflow: 2^20 * base exceeds any sensible cap.
    long long ceiling = policy.base.count() << std::clamp(retry_index, 0, 20);
    ceiling = std::min<long long>(ceiling, policy.cap.count());
    if (ceiling <= 0) return std::chrono::milliseconds(0);
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<long long> dist(0, ceiling);
    return std::chrono::milliseconds(dist(rng));
}

void log_retry(std::string_view what, int attempt, const BackendError& error,
               std::chrono::milliseconds delay) {
    log_warn("{}: attempt {} failed, retrying in {} ms: {}", what, attempt, delay.count(),
             error.what());
}

}  // namespace gdx::util
