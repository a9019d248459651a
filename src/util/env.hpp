#pragma once
// Settings from the environment. Every getenv of the program goes through these two, so that
// they all treat an empty variable the same way: `NAME=` counts as unset (the fallback), as a
// shell's `export NAME=` to "clear" a setting expects.
#include <climits>
#include <string>

namespace gdx::util {

// The value of environment variable `name`; `fallback` when it is unset or empty.
std::string env_string(const char* name, const std::string& fallback = {});

// The integer in environment variable `name`, which must lie in [min_value, max_value];
// `fallback` when it is unset or empty. Throws ConfigError naming the variable, the allowed
// range and the value otherwise.
long env_integer(const char* name, long fallback, long min_value, long max_value = LONG_MAX);

}  // namespace gdx::util
