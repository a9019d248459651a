#pragma once
// Test hook for proving crash safety (docs/reliability.md#crash-matrix): GDX_TEST_CRASH_AT=<step>
// kills the process (SIGKILL, no clean-up at all) the first time any object reaches that step;
// GDX_TEST_CRASH_AT=<step>:<n> the n-th time. Every step is listed in one table in
// docs/reliability.md; a new step is one crash_point call there plus one row.
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>
#include <string_view>

#include "util/env.hpp"

namespace gdx::util {

inline constexpr const char* kCrashAtEnv = "GDX_TEST_CRASH_AT";

inline void crash_point(std::string_view step) {
    static const std::string target = env_string(kCrashAtEnv);
    if (target.empty() || target.compare(0, step.size(), step) != 0) return;
    const std::string_view rest = std::string_view(target).substr(step.size());
    long nth = 1;
    if (!rest.empty()) {
        if (rest[0] != ':') return;  // another step whose name starts with this one
        nth = std::atol(std::string(rest.substr(1)).c_str());
    }
    static std::atomic<long> reached{0};
    if (++reached == nth) std::raise(SIGKILL);
}

}  // namespace gdx::util
