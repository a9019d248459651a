#pragma once
// Run log: logs/<job>.log (docs/semantics.md#report; the report names the real
// log path, docs/differences.md).
//
// Use the spdlog default logger (spdlog::info/warn/error, fmt-style) or the log_* helpers
// below; after init_logging() both go to the same redacting sinks. Every record is written as
//   LEVEL:gdx:YYYY-MM-DD HH:MM:SS,mmm:message
// (local time, Python level names DEBUG/INFO/WARNING/ERROR/CRITICAL); a multi-line message
// becomes one record per line, each with the full prefix; every line passes through
// util::redact() first. Default level INFO (as the original's file handler).
// Call init_logging() before logging anything: until then spdlog's own default logger
// (stdout, not redacted) is active.
#include <filesystem>
#include <string>

#include <spdlog/spdlog.h>

namespace gdx::util {

// Creates `log_dir` if needed and appends to `<log_dir>/<job_name>.log`; with `also_stderr`
// the same lines go to stderr. Replaces the spdlog default logger. Throws gdx::ConfigError
// if the directory or file cannot be created. May be called again (e.g. in tests).
void init_logging(const std::filesystem::path& log_dir, const std::string& job_name,
                  bool also_stderr);

// When a deferred log file comes into being.
enum class LogStart {
    WhenWorkStarts,  // start_log_file(); records before it wait in memory (a job: a config
                     // error must leave no log directory behind)
    OnFirstRecord,   // the first record; if the file cannot be made, records go to stderr
                     // (gdx sql: a query runs from a read-only directory)
};

// Like init_logging, but neither the directory nor the file is created yet (see LogStart).
// Records never written because the file was never started are dropped.
void init_deferred_logging(const std::filesystem::path& log_dir, const std::string& job_name,
                           LogStart start);

// Creates the directory and file of a deferred log and writes the records held so far. A
// no-op when the file is already open or logging is not deferred. Throws gdx::ConfigError if
// the directory or file cannot be created.
void start_log_file();

// Path of the current log file (empty before init_logging).
std::filesystem::path log_file_path();

void set_log_level(spdlog::level::level_enum level);

// Flushes and closes the log file; later records go nowhere until init_logging().
void shutdown_logging();

// Formats one record (all lines) exactly as written; exposed for tests.
std::string format_log_record(spdlog::level::level_enum level,
                              std::chrono::system_clock::time_point time, std::string_view message);

template <typename... Args>
void log_debug(fmt::format_string<Args...> f, Args&&... args) {
    spdlog::debug(f, std::forward<Args>(args)...);
}
template <typename... Args>
void log_info(fmt::format_string<Args...> f, Args&&... args) {
    spdlog::info(f, std::forward<Args>(args)...);
}
template <typename... Args>
void log_warn(fmt::format_string<Args...> f, Args&&... args) {
    spdlog::warn(f, std::forward<Args>(args)...);
}
template <typename... Args>
void log_error(fmt::format_string<Args...> f, Args&&... args) {
    spdlog::error(f, std::forward<Args>(args)...);
}

}  // namespace gdx::util
