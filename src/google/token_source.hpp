#pragma once
// Access tokens for the Google APIs from the credential file: the refresh-token grant for a
// user's stored credentials (written back after each grant), the JWT bearer grant for a
// service-account key. A token is reused until it is about to expire or a 401 says otherwise,
// so a run normally makes at most one grant.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "google/backoff.hpp"
#include "google/credential_files.hpp"
#include "google/settings.hpp"
#include "http/http_client.hpp"
#include "util/error.hpp"

namespace gdx::google {

// The token endpoint refused for good (revoked or expired refresh token, unknown client, bad
// JWT). The run must stop: no API call can succeed. `revoked` = a new authorisation
// (`gdx google-auth`) is needed.
class AuthError : public BackendError {
public:
    AuthError(const std::string& message, bool revoked)
        : BackendError(message, false), revoked(revoked) {}
    bool revoked;
};

class TokenSource {
public:
    // Reads the credential file (ConfigError when missing or malformed). `client` supplies the
    // client id/secret when the store lacks them. The token URI is GDX_TOKEN_URI, else the
    // file's own.
    TokenSource(http::HttpClient& http, const std::filesystem::path& credential_file,
                const ClientSecrets& client, std::vector<std::string> scopes,
                const GoogleSettings& settings, BackoffPolicy backoff);

    // A valid access token: the stored one while it is good for another minute, else a new
    // grant.
    const std::string& access_token();
    // Forgets the current token and makes a grant (after a 401).
    const std::string& refresh();
    int grants() const { return grants_; }
    bool service_account() const { return service_account_.has_value(); }

private:
    void grant();
    nlohmann::ordered_json post_token_request(const std::string& form);

    http::HttpClient& http_;
    std::vector<std::string> scopes_;
    BackoffPolicy backoff_;
    std::string token_uri_;
    std::string client_id_, client_secret_;
    std::optional<StoredCredentials> stored_;
    std::optional<ServiceAccountKey> service_account_;
    std::string token_;
    std::chrono::system_clock::time_point expires_{};
    int grants_ = 0;
};

// "a=1&b=2" with every value percent-encoded.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace gdx::google
