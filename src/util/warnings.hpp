#pragma once
// Warnings a user must see because they change what gets loaded (a string "false" read as
// true, an unknown config key, surplus fields dropped, a GRANT skipped...). Each goes to stderr
// as "gdx: warning: <message>" and to the run log; with --strict the first one stops the run
// with exit 2 instead (StrictWarning is a ConfigError).
//
// Any layer may call warn(); the command line sets the policy once per process.
#include <cstddef>
#include <string>

#include "util/error.hpp"

namespace gdx::util {

// Thrown by warn() under --strict: the warning becomes a usage/config error (exit 2).
class StrictWarning : public ConfigError {
public:
    explicit StrictWarning(const std::string& message)
        : ConfigError(message + " (--strict turns warnings into errors)") {}
};

struct WarningPolicy {
    bool strict = false;  // the first warning throws StrictWarning
};

// Sets the policy for the rest of the process (the command line calls it once).
void set_warning_policy(WarningPolicy policy);
WarningPolicy warning_policy();

// Reports one warning: stderr ("gdx: warning: ..."), the log (WARNING), and the count.
// Under --strict it throws StrictWarning instead of returning. Thread-safe. Secrets are
// redacted.
void warn(const std::string& message);

// Warnings reported so far in this process.
size_t warning_count();

}  // namespace gdx::util
