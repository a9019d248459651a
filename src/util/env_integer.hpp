#pragma once
// Integer settings from the environment (GDX_RETRY_*, GDX_S3_*, GDX_SPOOL_MB).
#include <climits>

namespace gdx::util {

// The integer in environment variable `name`, which must lie in [min_value, max_value];
// `fallback` when it is unset or empty. Throws ConfigError naming the variable, the allowed
// range and the value otherwise.
long env_integer(const char* name, long fallback, long min_value, long max_value = LONG_MAX);

}  // namespace gdx::util
