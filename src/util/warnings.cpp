#include "util/warnings.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>

#include <spdlog/spdlog.h>

#include "util/redact.hpp"

namespace gdx::util {
namespace {

std::atomic<bool> g_strict{false};
std::atomic<size_t> g_count{0};
std::mutex g_stderr_mutex;  // one warning per line even from the writer thread

}  // namespace

void set_warning_policy(WarningPolicy policy) {
    g_strict = policy.strict;
}

WarningPolicy warning_policy() {
    return {g_strict.load()};
}

void warn(const std::string& message) {
    const std::string text = redact(message);
    ++g_count;
    if (g_strict) {
        spdlog::error("{} (--strict)", text);
        throw StrictWarning(text);  // printed once, as the error that ends the run
    }
    spdlog::warn("{}", text);
    {
        std::lock_guard lock(g_stderr_mutex);
        std::fprintf(stderr, "gdx: warning: %s\n", text.c_str());
        std::fflush(stderr);
    }
}

size_t warning_count() {
    return g_count.load();
}

}  // namespace gdx::util
