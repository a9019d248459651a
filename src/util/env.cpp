#include "util/env.hpp"

#include <charconv>
#include <cstdlib>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace gdx::util {

std::string env_string(const char* name, const std::string& fallback) {
    const char* raw = std::getenv(name);
    return raw && *raw ? std::string(raw) : fallback;
}

long env_integer(const char* name, long fallback, long min_value, long max_value) {
    const std::string text = env_string(name);
    if (text.empty()) return fallback;
    long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min_value ||
        value > max_value) {
        std::string range = max_value == LONG_MAX ? ">= " + std::to_string(min_value)
                                                  : "from " + std::to_string(min_value) + " to " +
                                                        std::to_string(max_value);
        throw ConfigError(std::string(name) + " must be an integer " + range + ", got '" + text +
                          "'");
    }
    return value;
}

}  // namespace gdx::util
