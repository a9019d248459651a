#include "google/session.hpp"

namespace gdx::google {
namespace {

BackoffPolicy scaled_backoff(double scale) {
    BackoffPolicy p;
    p.scale = scale;
    return p;
}

}  // namespace

GoogleSession::GoogleSession(const std::string& client_secrets_file,
                             const std::string& credentials_file, std::vector<std::string> scopes)
    : settings(GoogleSettings::from_env()),
      backoff_(scaled_backoff(settings.backoff_scale)),
      secrets_(ClientSecrets::load(client_secrets_file)),
      tokens_(http_, credentials_file, secrets_, std::move(scopes), settings, backoff_),
      api_(http_, tokens_, backoff_) {}

}  // namespace gdx::google
