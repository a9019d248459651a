#pragma once
// The moment a run happens. GDX_NOW (YYYY-MM-DDTHH:MM:SS, local time as TZ says) pins it for
// tests and re-runs: object names use the local wall clock (as the originals did) and SQL's
// GETDATE() the same instant in UTC (as Redshift does). Every reader of GDX_NOW comes here.
#include <chrono>
#include <optional>
#include <string>

namespace gdx::util {

inline constexpr const char* kNowEnv = "GDX_NOW";

struct RunClock {
    std::chrono::system_clock::time_point instant;  // UTC
    std::chrono::sys_seconds local;  // local wall time (as TZ says), as if it were UTC
};

// A local wall time YYYY-MM-DDTHH:MM:SS as a RunClock (ConfigError naming `what` and the
// text when it is anything else).
RunClock clock_at_local(const std::string& text, const std::string& what);
// GDX_NOW when set; ConfigError when it is malformed.
std::optional<RunClock> pinned_clock();
// GDX_NOW when set, else the system clock.
RunClock run_clock();

}  // namespace gdx::util
