#pragma once
// The standard AWS credentials chain: environment, shared credentials file, EC2 instance
// metadata (IMDSv2). Secrets never appear in error messages.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gdx::store::s3 {

struct AwsCredentials {
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;  // empty for long-term keys
    // Set for temporary credentials (instance metadata); they are refreshed before this.
    std::optional<std::chrono::system_clock::time_point> expiration;
    std::string source;  // "environment", "shared file PATH [profile]", "instance metadata"
};

// AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN); nullopt if either key is unset.
std::optional<AwsCredentials> credentials_from_env();

// The profile's keys from an INI credentials file; nullopt if the file or the profile does
// not exist. Throws ConfigError if the profile exists but lacks a key.
std::optional<AwsCredentials> credentials_from_file(const std::string& path,
                                                    const std::string& profile);
// The same, for the file's text already read; `path` names it in messages.
std::optional<AwsCredentials> credentials_from_text(std::string_view text, const std::string& path,
                                                    const std::string& profile);

// AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile AWS_PROFILE or "default".
std::optional<AwsCredentials> credentials_from_shared_file();

// IMDSv2 at `endpoint` (e.g. "http://169.254.169.254"); nullopt when the service does not
// answer or has no role. Short timeouts so that a machine outside EC2 is not slowed down.
std::optional<AwsCredentials> credentials_from_imds(const std::string& endpoint);

// The role's credentials document as IMDS serves it (AccessKeyId, SecretAccessKey, Token,
// Expiration, Code); nullopt when it is not a successful, complete one.
std::optional<AwsCredentials> parse_imds_credentials(std::string_view document,
                                                     const std::string& role);

// The whole chain. IMDS is skipped when AWS_EC2_METADATA_DISABLED=true; its endpoint is
// AWS_EC2_METADATA_SERVICE_ENDPOINT or http://169.254.169.254. Throws ConfigError when no
// source has credentials.
AwsCredentials resolve_credentials();

}  // namespace gdx::store::s3
