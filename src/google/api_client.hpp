#pragma once
// One Google API call with the project's HTTP policy (docs/google.md): the bearer token from
// the TokenSource; 401 -> new token and replay, at most 2 rounds; 429, 5xx, transport
// failures and malformed JSON -> backoff and retry; 400, 403, 404 -> no retry.
#include <string>

#include <nlohmann/json.hpp>

#include "google/backoff.hpp"
#include "google/token_source.hpp"
#include "http/http_client.hpp"

namespace gdx::google {

// What a Google API answer means for a run, in one place: 408, 429 and 5xx may pass when
// tried again (Transient); any other 4xx says the request is wrong for this site or account:
// its name, its rights, the token's scope (Target). Status 0 is a transport failure or a
// malformed answer, also Transient.
ErrorKind classify_status(long status);

// A call that failed for good: a permanent answer (kind() from classify_status), or the
// retries used up (retries_exhausted()). status is 0 for a transport failure or malformed
// answers. Never carries a token.
class ApiError : public BackendError {
public:
    ApiError(const std::string& message, long status, ErrorKind kind)
        : BackendError(message, kind), status(status) {}
    ApiError(const std::string& message, long status)
        : ApiError(message, status, classify_status(status)) {}
    long status;
};

class ApiClient {
public:
    ApiClient(http::HttpClient& http, TokenSource& tokens, BackoffPolicy backoff)
        : http_(http), tokens_(tokens), backoff_(backoff) {}

    // Sends `body` (JSON text; empty for GET) and returns the parsed 2xx answer. `what` names
    // the call in logs and errors. Throws ApiError, or AuthError when no token can be had.
    nlohmann::json call(const std::string& method, const std::string& url, const std::string& body,
                        const std::string& what);

    uint64_t requests() const { return requests_; }

private:
    http::HttpClient& http_;
    TokenSource& tokens_;
    BackoffPolicy backoff_;
    uint64_t requests_ = 0;
};

// Google's error message from an error body ({"error": {"message": ...}}), else the body's
// first 200 bytes.
std::string google_error_message(const std::string& body);

}  // namespace gdx::google
