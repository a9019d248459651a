#include "google/api_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "util/redact.hpp"

namespace gdx::google {

std::string google_error_message(const std::string& body) {
    auto doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_object() && doc.contains("error")) {
        const auto& e = doc["error"];
        if (e.is_object() && e.contains("message") && e["message"].is_string())
            return e["message"].get<std::string>();
        if (e.is_string()) return e.get<std::string>();
    }
    std::string excerpt = body.substr(0, 200);
    for (char& c : excerpt)
        if (c == '\n' || c == '\r') c = ' ';
    return excerpt.empty() ? "empty body" : excerpt;
}

ErrorKind classify_status(long status) {
    if (status == 0 || status == 408 || status == 429 || status >= 500) return ErrorKind::Transient;
    return ErrorKind::Target;
}

nlohmann::json ApiClient::call(const std::string& method, const std::string& url,
                               const std::string& body, const std::string& what) {
    http::HttpRequest req;
    req.method = method;
    req.url = url;
    req.body = body;
    const int attempts = backoff_.retry.max_attempts;
    int refresh_rounds = 0;
    for (int attempt = 1;;) {
        req.headers = {"Authorization: Bearer " + tokens_.access_token(),
                       "Accept: application/json"};
        if (!body.empty()) req.headers.push_back("Content-Type: application/json");
        std::string failure;
        long status = 0;
        std::optional<std::chrono::milliseconds> retry_after;
        try {
            ++requests_;
            http::HttpResponse res = http_.perform(req);
            status = res.status;
            if (status >= 200 && status < 300) {
                auto doc = nlohmann::json::parse(res.body, nullptr, false);
                if (!doc.is_discarded() && doc.is_object()) return doc;
                failure = fmt::format("HTTP {} with a body that is not a JSON object ({} bytes)",
                                      status, res.body.size());
            } else if (status == 401) {
                if (refresh_rounds < 2) {
                    ++refresh_rounds;
                    spdlog::info("{}: HTTP 401, getting a new access token and replaying", what);
                    tokens_.refresh();
                    continue;  // a replay is not a new attempt
                }
                throw ApiError(
                    util::redact(fmt::format("{}: HTTP 401 after {} new tokens: {}", what,
                                             refresh_rounds, google_error_message(res.body))),
                    401);
            } else if (status == 429 || status >= 500) {
                failure = fmt::format("HTTP {}: {}", status, google_error_message(res.body));
                retry_after =
                    parse_retry_after(res.header("retry-after"), std::chrono::system_clock::now());
            } else {
                throw ApiError(util::redact(fmt::format("{}: HTTP {}: {}", what, status,
                                                        google_error_message(res.body))),
                               status);
            }
        } catch (const http::TransportError& e) {
            if (!e.transient())
                throw ApiError(util::redact(fmt::format("{}: {}", what, e.what())), 0, e.kind());
            failure = e.what();
        }
        if (attempt >= attempts) {
            ApiError error(util::redact(fmt::format("{}: {}", what, failure)), status,
                           ErrorKind::Transient);
            error.give_up(attempt);
            throw error;
        }
        auto wait = retry_wait(backoff_, attempt - 1, retry_after);
        spdlog::warn("{}: {}; attempt {} of {}, retrying in {} ms", what, util::redact(failure),
                     attempt, attempts, wait.count());
        scaled_sleep(wait, backoff_.scale);
        ++attempt;
    }
}

}  // namespace gdx::google
