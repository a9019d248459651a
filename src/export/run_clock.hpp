#pragma once
// The moment an export runs: object names use the local wall clock (as the original did) and
// the SQL's GETDATE() the same instant in UTC. GDX_NOW pins it for tests and re-runs.
#include <chrono>
#include <string>

namespace gdx::exports {

inline constexpr const char* kNowEnv = "GDX_NOW";

struct RunClock {
    std::chrono::system_clock::time_point instant;  // UTC
    std::chrono::sys_seconds local;  // local wall time (as TZ says), as if it were UTC
};

// The system clock, or GDX_NOW = YYYY-MM-DDTHH:MM:SS read as local time. Throws ConfigError
// for a malformed GDX_NOW.
RunClock run_clock();
// A local wall time YYYY-MM-DDTHH:MM:SS as a RunClock (ConfigError naming `what` if malformed).
RunClock clock_at_local(const std::string& text, const std::string& what);

// YYYYMMDDTHHMMSS of the local wall time (the object names' timestamp).
std::string key_timestamp(const RunClock& clock);
// YYYYMMDD of the local date `days` days before the clock's (the "unsent" default).
std::string local_date_minus(const RunClock& clock, int days);

}  // namespace gdx::exports
