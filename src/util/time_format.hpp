#pragma once
// Time texts of the original report (docs/semantics.md#report).
#include <chrono>
#include <string>

namespace gdx::util {

// America/Vancouver wall time as "%Y-%m-%d %H:%M:%S%z (%Z)", e.g.
// "2024-01-05 13:45:10-0800 (PST)"; sub-second digits are dropped.
std::string format_vancouver(std::chrono::system_clock::time_point time);

// Python str(timedelta): "0:00:07", "0:00:07.123456", "1 day, 2:00:00.000005",
// "2 days, 0:00:00", negative as Python does ("-1 day, 23:59:59").
std::string format_timedelta(std::chrono::microseconds duration);

// Python str(datetime.now()) for `time`: the process's local wall clock (TZ) as
// "%Y-%m-%d %H:%M:%S", with ".ffffff" only when the microseconds are not zero.
std::string format_python_local(std::chrono::system_clock::time_point time);

}  // namespace gdx::util
