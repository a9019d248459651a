#pragma once
// The files an operator hands to a Google job: the OAuth client secrets (-o) and the
// credential file (-a): either the originals' oauth2client store (a user's refresh token) or
// a service-account key. Layouts: docs/google.md.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace gdx::google {

// {"installed": {...}} or {"web": {...}} as the Google Cloud console downloads it.
struct ClientSecrets {
    std::string client_id, client_secret, auth_uri, token_uri;
    // Throws ConfigError naming the file and the missing or malformed key.
    static ClientSecrets load(const std::filesystem::path& path);
    // The same, for the file's document already read; `path` names it in messages.
    static ClientSecrets from_json(const nlohmann::ordered_json& doc,
                                   const std::filesystem::path& path);
};

// The oauth2client store (a JSON object). Unknown fields are kept when it is written back.
class StoredCredentials {
public:
    // Throws ConfigError for a missing, malformed or incomplete file.
    static StoredCredentials load(const std::filesystem::path& path);
    // The same, for the file's document already read; it is written back to `path`.
    static StoredCredentials from_json(nlohmann::ordered_json doc,
                                       const std::filesystem::path& path);
    // A new store for `gdx google-auth`.
    static StoredCredentials create(const std::filesystem::path& path, const ClientSecrets& client,
                                    const std::vector<std::string>& scopes);

    const std::filesystem::path& path() const { return path_; }
    std::string field(const char* name) const;  // "" when absent or null
    bool invalid() const;
    // The stored access token and its expiry, while it is valid for more than `margin` at
    // `now`.
    struct AccessToken {
        std::string token;
        std::chrono::sys_seconds expires;
    };
    std::optional<AccessToken> usable_access_token(std::chrono::system_clock::time_point now,
                                                   std::chrono::seconds margin) const;

    // Takes a token endpoint's answer: access_token, token_expiry (now + expires_in),
    // token_response, invalid=false, and a rotated refresh_token.
    void apply_token_response(const nlohmann::ordered_json& response,
                              std::chrono::system_clock::time_point now);
    void mark_invalid();
    // Temp file beside it + rename, mode 0600. Throws BackendError.
    void save() const;

private:
    std::filesystem::path path_;
    nlohmann::ordered_json doc_;
};

// A Google service-account key file ({"type": "service_account", ...}).
struct ServiceAccountKey {
    std::string client_email, private_key, private_key_id, token_uri;
    static ServiceAccountKey from_json(const nlohmann::ordered_json& doc,
                                       const std::filesystem::path& path);
};

// The lifetime a token endpoint's answer gives its access token: "expires_in" seconds, or an
// hour when that is absent, not a number, or outside 0..10 years (35e99 does not fit a count of
// seconds, nor 10^12 s a system_clock time point: found by fuzzing).
std::chrono::seconds token_lifetime(const nlohmann::ordered_json& response);

// The credential file's kind, read once: a service-account key or a user's stored credentials.
bool is_service_account_file(const nlohmann::ordered_json& doc);

// Writes `text` to `path` atomically (temp file in the same folder + rename), mode 0600.
void write_private_file(const std::filesystem::path& path, const std::string& text);

}  // namespace gdx::google
