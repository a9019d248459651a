#pragma once
// Test hook for proving crash safety: GDX_TEST_CRASH_AT=<step> kills the process (SIGKILL, no
// clean-up at all) when the first object reaches that step. Steps are named by the job, e.g.
// s3-to-sfts's after_download, mid_upload, after_upload, after_rename, after_mark.
#include <csignal>
#include <string>
#include <string_view>

#include "util/env.hpp"

namespace gdx::jobs {

inline constexpr const char* kCrashAtEnv = "GDX_TEST_CRASH_AT";

inline void crash_point(std::string_view step) {
    const std::string target = util::env_string(kCrashAtEnv);
    if (!target.empty() && step == target) std::raise(SIGKILL);
}

}  // namespace gdx::jobs
