#pragma once
// Typed errors. Deep code throws these with context; only main() turns them into exit codes.
// What each kind of failure does to a run: docs/architecture.md, "Failures".
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace gdx {

// Exit codes of every subcommand (docs/semantics.md#commands-and-exit-codes).
enum class ExitCode : int { Ok = 0, Failed = 1, Usage = 2 };

// Usage or configuration problem: nothing was touched, exit 2.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Where an object failed; named in its sidecar ("stage").
enum class FailureStage {
    Empty,      // no columns or no data rows
    Decode,     // a byte sequence invalid in the object's encoding
    Parse,      // CSV structure (an unterminated quoted field, too few header fields)
    Transform,  // a value the column pipeline or the target's type rejects
    Load,       // the warehouse rejected the batch
    PostLoad,   // the post-load SQL failed
};
const char* stage_name(FailureStage stage);

// A problem with one object's data: the object goes to processed/bad with a sidecar.
// Positions are 1-based; 0 means "not known / not applicable".
struct DataErrorInfo {
    std::string what;     // short description, e.g. "value does not match format %Y%m%d"
    uint64_t line = 0;    // physical line in the decoded source object
    uint32_t column = 0;  // 1-based column position in the source row (0 = whole row/file)
    std::string column_name;
    std::string value;  // the offending raw value (shown_value() cuts it for display)
};

class DataError : public std::runtime_error {
public:
    explicit DataError(DataErrorInfo info, FailureStage stage = FailureStage::Transform);
    const DataErrorInfo& info() const { return info_; }
    FailureStage stage() const { return stage_; }

private:
    DataErrorInfo info_;
    FailureStage stage_;
};

// What a failure of a backend means for the run. Each backend maps its own codes to these in
// one classifier (PostgreSQL SQLSTATEs, SQLite result codes, HTTP statuses).
enum class ErrorKind {
    Data,            // the object's data: the object goes to bad (warehouse::LoadError)
    Target,          // the target table is missing or misconfigured: the run stops
    Transient,       // may succeed when tried again: retried with backoff
    Infrastructure,  // the store or warehouse is unusable: the run stops
};
const char* kind_name(ErrorKind kind);

// Failure of the store, the warehouse or the network. The object being processed stays
// unprocessed (retried by the next run); `transient` ones are retried first.
class BackendError : public std::runtime_error {
public:
    BackendError(const std::string& message, bool transient = false)
        : BackendError(message, transient ? ErrorKind::Transient : ErrorKind::Infrastructure) {}
    BackendError(const std::string& message, ErrorKind kind)
        : std::runtime_error(message), message_(message), kind_(kind) {}
    const char* what() const noexcept override { return message_.c_str(); }
    ErrorKind kind() const { return kind_; }
    // What the failure was: one that may pass when tried again. Stays true after a retry loop
    // gave up on it; whether to try again is retryable().
    bool transient() const { return kind_ == ErrorKind::Transient; }

    // A retry loop tried it retry_attempts() times and gave up: the backend keeps failing, so
    // no caller retries it again, and a caller that would go on with the same backend stops.
    bool retries_exhausted() const { return attempts_ > 0; }
    int retry_attempts() const { return attempts_; }
    // Worth trying again: transient, and no retry loop has given up on it yet.
    bool retryable() const { return transient() && !retries_exhausted(); }
    // Called by the retry loop that gives up (util::with_retry, the S3 reader) before it
    // rethrows this error: records the attempts and says so in the message.
    void give_up(int attempts);

private:
    std::string message_;  // what(), with the attempts appended once given up
    ErrorKind kind_;
    int attempts_ = 0;
};

// The one limit on a value quoted in an error message, a log line or a sidecar.
inline constexpr size_t kShownValueBytes = 200;
// At most kShownValueBytes of `value`, cut on a UTF-8 boundary, "…" appended when cut.
std::string shown_value(std::string_view value);

// The one formatter of error text: "what (line L, column C 'name'): value 'v'".
struct ErrorText {
    std::string_view what;
    std::string_view server_message;  // appended after ": " when set
    uint64_t line = 0;
    uint32_t column = 0;
    std::string_view column_name;
    std::string_view value;
    uint64_t batch_line = 0;  // shown when the source line is unknown
};
std::string format_error(const ErrorText& text);

}  // namespace gdx
