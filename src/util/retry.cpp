#include "util/retry.hpp"

#include "util/log.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <random>
#include <string>

namespace gdx::util {
namespace {

long env_number(const char* name, long fallback, long min_value) {
    const char* raw = std::getenv(name);
    if (!raw || !*raw) return fallback;
    long value = 0;
    std::string_view text(raw);
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min_value) {
        throw ConfigError(std::string(name) + " must be an integer >= " +
                          std::to_string(min_value) + ", got '" + std::string(text) + "'");
    }
    return value;
}

}  // namespace

RetryPolicy RetryPolicy::from_env() {
    RetryPolicy p;
    p.base = std::chrono::milliseconds(env_number("GDX_RETRY_BASE_MS", p.base.count(), 0));
    p.cap = std::chrono::milliseconds(env_number("GDX_RETRY_CAP_MS", p.cap.count(), 0));
    p.max_attempts = static_cast<int>(env_number("GDX_RETRY_MAX_ATTEMPTS", p.max_attempts, 1));
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
