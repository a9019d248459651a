#include "google/token_source.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/json_file.hpp"
#include "google/jwt.hpp"
#include "util/redact.hpp"

namespace gdx::google {
namespace {

using nlohmann::ordered_json;
using Clock = std::chrono::system_clock;
constexpr auto kMargin = std::chrono::seconds(60);  // refresh a token this close to expiry

std::string token_error_text(const ordered_json& body) {
    if (!body.is_object()) return "no error description";
    std::string error = body.value("error", "");
    std::string description = body.value("error_description", "");
    return description.empty() ? error : error + ": " + description;
}

}  // namespace

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out += '&';
        out += http::percent_encode(name) + "=" + http::percent_encode(value);
    }
    return out;
}

TokenSource::TokenSource(http::HttpClient& http, const std::filesystem::path& credential_file,
                         const ClientSecrets& client, std::vector<std::string> scopes,
                         const GoogleSettings& settings, BackoffPolicy backoff)
    : http_(http), scopes_(std::move(scopes)), backoff_(backoff) {
    ordered_json doc = config::load_json_file(credential_file);
    if (is_service_account_file(doc)) {
        service_account_ = ServiceAccountKey::from_json(doc, credential_file);
        token_uri_ = service_account_->token_uri;
    } else {
        stored_ = StoredCredentials::load(credential_file);
        token_uri_ = stored_->field("token_uri");
        client_id_ = stored_->field("client_id");
        client_secret_ = stored_->field("client_secret");
        if (auto stored = stored_->usable_access_token(Clock::now(), kMargin)) {
            token_ = stored->token;
            // The stored expiry, so that a run outliving the token grants a new one first (not
            // after a 401); one past what the clock can hold (year 2262) is as good as never.
            const auto last = std::chrono::floor<std::chrono::seconds>(Clock::time_point::max());
            expires_ = stored->expires >= last ? Clock::time_point::max()
                                               : Clock::time_point(stored->expires);
        }
    }
    if (client_id_.empty()) client_id_ = client.client_id;
    if (client_secret_.empty()) client_secret_ = client.client_secret;
    if (token_uri_.empty()) token_uri_ = client.token_uri;
    if (!settings.token_uri.empty()) token_uri_ = settings.token_uri;
}

const std::string& TokenSource::access_token() {
    if (token_.empty() || Clock::now() + kMargin >= expires_) grant();
    return token_;
}

const std::string& TokenSource::refresh() {
    token_.clear();
    grant();
    return token_;
}

ordered_json TokenSource::post_token_request(const std::string& form) {
    http::HttpRequest req;
    req.method = "POST";
    req.url = token_uri_;
    req.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
    req.body = form;
    const int attempts = backoff_.retry.max_attempts;
    for (int attempt = 1;; ++attempt) {
        std::string failure;
        std::optional<std::chrono::milliseconds> retry_after;
        try {
            http::HttpResponse res = http_.perform(req);
            ordered_json body = ordered_json::parse(res.body, nullptr, false);
            if (res.status == 200 && body.is_object() && body.contains("access_token") &&
                body["access_token"].is_string())
                return body;
            if (res.status == 400 || res.status == 401) {
                std::string error = body.is_object() ? body.value("error", "") : "";
                throw AuthError(fmt::format("the token endpoint {} refused the grant (HTTP {}, {})",
                                            http::url_for_message(token_uri_), res.status,
                                            token_error_text(body)),
                                error == "invalid_grant");
            }
            if (res.status != 200 && res.status != 429 && res.status < 500)
                throw AuthError(fmt::format("the token endpoint {} answered HTTP {} ({})",
                                            http::url_for_message(token_uri_), res.status,
                                            token_error_text(body)),
                                false);
            failure = res.status == 200 ? "HTTP 200 without an access token"
                                        : fmt::format("HTTP {}", res.status);
            retry_after = parse_retry_after(res.header("retry-after"), Clock::now());
        } catch (const http::TransportError& e) {
            if (!e.transient()) throw;
            failure = e.what();
        }
        if (attempt >= attempts)
            throw BackendError(
                util::redact(fmt::format("the token endpoint {} failed {} times; last: {}",
                                         http::url_for_message(token_uri_), attempt, failure)));
        auto wait = retry_wait(backoff_, attempt - 1, retry_after);
        spdlog::warn("token request failed ({}); attempt {} of {}, retrying in {} ms", failure,
                     attempt, attempts, wait.count());
        scaled_sleep(wait, backoff_.scale);
    }
}

void TokenSource::grant() {
    const auto now = Clock::now();
    ordered_json body;
    if (service_account_) {
        std::string assertion = make_jwt_assertion(*service_account_, scopes_, token_uri_, now);
        body = post_token_request(
            form_encode({{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                         {"assertion", assertion}}));
    } else {
        try {
            body = post_token_request(
                form_encode({{"grant_type", "refresh_token"},
                             {"client_id", client_id_},
                             {"client_secret", client_secret_},
                             {"refresh_token", stored_->field("refresh_token")}}));
        } catch (const AuthError& e) {
            if (e.revoked) {
                stored_->mark_invalid();
                stored_->save();
                throw AuthError(
                    fmt::format("{}: the stored refresh token was refused ({}); "
                                "authorise again with `gdx google-auth --client-secrets "
                                "FILE --credentials {} --scope ...`",
                                stored_->path().string(), e.what(), stored_->path().string()),
                    true);
            }
            throw;
        }
    }
    ++grants_;
    token_ = body["access_token"].get<std::string>();
    util::add_secret(token_);
    const std::chrono::seconds lifetime = token_lifetime(body);
    expires_ = now + lifetime;
    if (stored_) {
        stored_->apply_token_response(body, now);
        stored_->save();
    }
    spdlog::info("obtained an access token ({} grant, valid {} s)",
                 service_account_ ? "service-account JWT" : "refresh-token", lifetime.count());
}

}  // namespace gdx::google
