#pragma once
// Typed errors. Deep code throws these with context; only main() turns them into exit codes.
#include <cstdint>
#include <stdexcept>
#include <string>

namespace gdx {

// Exit codes of every subcommand (docs/semantics.md#commands-and-exit-codes).
enum class ExitCode : int { Ok = 0, Failed = 1, Usage = 2 };

// Usage or configuration problem: nothing was touched, exit 2.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A problem with one object's data: the object goes to processed/bad with a sidecar.
// Positions are 1-based; 0 means "not known / not applicable".
struct DataErrorInfo {
    std::string what;     // short description, e.g. "value does not match format %Y%m%d"
    uint64_t line = 0;    // physical line in the decoded source object
    uint32_t column = 0;  // 1-based column position in the source row (0 = whole row/file)
    std::string column_name;
    std::string value;    // the offending raw value (possibly truncated for display)
};

class DataError : public std::runtime_error {
public:
    explicit DataError(DataErrorInfo info);
    const DataErrorInfo& info() const { return info_; }

private:
    DataErrorInfo info_;
};

// Infrastructure failure (store, warehouse, network). `transient` marks retryable ones.
class BackendError : public std::runtime_error {
public:
    BackendError(const std::string& message, bool transient = false)
        : std::runtime_error(message), transient_(transient) {}
    bool transient() const { return transient_; }

private:
    bool transient_;
};

}  // namespace gdx
