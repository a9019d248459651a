#pragma once
// The service-account JWT bearer assertion: RS256 (RSASSA-PKCS1-v1_5 + SHA-256) with OpenSSL.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "google/credential_files.hpp"

namespace gdx::google {

// base64url without padding.
std::string base64url(std::string_view bytes);

// header.claims.signature for `audience` (the token URI), valid for one hour from `now`.
// Throws ConfigError when the private key cannot be read.
std::string make_jwt_assertion(const ServiceAccountKey& key, const std::vector<std::string>& scopes,
                               const std::string& audience,
                               std::chrono::system_clock::time_point now);

}  // namespace gdx::google
