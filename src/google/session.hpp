#pragma once
// What every Google job sets up before its first call: the settings of the environment, the
// client secrets, one HTTP client, the access tokens for the job's scopes and the API client
// with the retry policy. Reading it checks the files, so a bad one stops the run before any
// network call.
#include <string>
#include <vector>

#include "google/api_client.hpp"
#include "google/credential_files.hpp"
#include "google/settings.hpp"
#include "google/token_source.hpp"
#include "http/http_client.hpp"

namespace gdx::google {

class GoogleSession {
public:
    GoogleSession(const std::string& client_secrets_file, const std::string& credentials_file,
                  std::vector<std::string> scopes);
    GoogleSession(const GoogleSession&) = delete;
    GoogleSession& operator=(const GoogleSession&) = delete;

    const GoogleSettings settings;  // GoogleSettings::from_env()
    ApiClient& api() { return api_; }

private:
    BackoffPolicy backoff_;
    ClientSecrets secrets_;
    http::HttpClient http_;
    TokenSource tokens_;
    ApiClient api_;
};

}  // namespace gdx::google
