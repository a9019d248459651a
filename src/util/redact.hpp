#pragma once
// Secret redaction: nothing that passes through redact() shows a password, key, token or
// DSN password. Every log line goes through it (util/log.hpp); use it as well for error
// messages, reports and sidecars that may quote SQL, URIs or server replies.
#include <string>
#include <string_view>

namespace gdx::util {

inline constexpr std::string_view kRedacted = "********";

// Registers a literal value that must never appear (password, secret key, token). Empty
// values are ignored. Thread-safe.
void add_secret(std::string secret);

// Forgets every registered secret. For tests only: a run keeps its secrets to its end, while a
// test binary forgets them after each test (tests/support/test_main.cpp), so that a short test
// secret cannot mask text in the tests that run after it in the same process.
void clear_secrets();

// `text` with
//   - every registered secret replaced by ********;
//   - the value of key/value pairs such as password=..., pgpass=..., "password": "...",
//     aws_secret_access_key=..., token=..., client_secret=..., private_key=... masked;
//   - the password in URIs (scheme://user:PASSWORD@host) masked;
//   - the value of Authorization, Proxy-Authorization, Cookie and X-Amz-Security-Token
//     headers (and X-Amz-Security-Token / X-Amz-Signature query parameters) masked.
// Thread-safe.
std::string redact(std::string_view text);

}  // namespace gdx::util
