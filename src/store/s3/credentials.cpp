#include "store/s3/credentials.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string_view>

#include "store/s3/s3_time.hpp"
#include "util/env.hpp"
#include "util/error.hpp"

namespace gdx::store::s3 {
namespace {

std::string_view trim(std::string_view s) {
    const char* ws = " \t\r\n";
    auto b = s.find_first_not_of(ws);
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(ws);
    return s.substr(b, e - b + 1);
}

size_t append_to_string(char* data, size_t size, size_t n, void* user) {
    static_cast<std::string*>(user)->append(data, size * n);
    return size * n;
}

// One small IMDS request; nullopt on any transport failure or non-200 status.
std::optional<std::string> imds_request(const std::string& url, const char* method,
                                        const std::string& header) {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), &curl_easy_cleanup);
    if (!h) return std::nullopt;
    std::string body;
    curl_slist* headers = curl_slist_append(nullptr, header.c_str());
    curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(h.get(), CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h.get(), CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, 2000L);
    curl_easy_setopt(h.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h.get(), CURLOPT_PROXY, "");  // metadata is link-local: never via a proxy
    curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, append_to_string);
    curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &body);
    CURLcode rc = curl_easy_perform(h.get());
    long status = 0;
    curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    if (rc != CURLE_OK || status != 200) return std::nullopt;
    return body;
}

}  // namespace

std::optional<AwsCredentials> credentials_from_env() {
    std::string id = util::env_string("AWS_ACCESS_KEY_ID", "");
    std::string secret = util::env_string("AWS_SECRET_ACCESS_KEY", "");
    if (id.empty() || secret.empty()) return std::nullopt;
    return AwsCredentials{id, secret, util::env_string("AWS_SESSION_TOKEN", ""), std::nullopt,
                          "environment"};
}

std::optional<AwsCredentials> credentials_from_file(const std::string& path,
                                                    const std::string& profile) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    return credentials_from_text(text, path, profile);
}

std::optional<AwsCredentials> credentials_from_text(std::string_view text, const std::string& path,
                                                    const std::string& profile) {
    bool in_profile = false, found = false;
    AwsCredentials c;
    while (!text.empty()) {
        const size_t nl = text.find('\n');
        std::string_view l = trim(text.substr(0, nl));
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (l.empty() || l[0] == '#' || l[0] == ';') continue;
        if (l.front() == '[' && l.back() == ']') {
            std::string_view name = trim(l.substr(1, l.size() - 2));
            if (name.starts_with("profile ")) name = trim(name.substr(8));  // config-file style
            in_profile = name == profile;
            found = found || in_profile;
            continue;
        }
        if (!in_profile) continue;
        auto eq = l.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view key = trim(l.substr(0, eq)), value = trim(l.substr(eq + 1));
        if (key == "aws_access_key_id") c.access_key_id = value;
        if (key == "aws_secret_access_key") c.secret_access_key = value;
        if (key == "aws_session_token") c.session_token = value;
    }
    if (!found) return std::nullopt;
    if (c.access_key_id.empty() || c.secret_access_key.empty()) {
        throw ConfigError("AWS credentials file " + path + ": profile [" + profile +
                          "] lacks aws_access_key_id or aws_secret_access_key");
    }
    c.source = "shared file " + path + " [" + profile + "]";
    return c;
}

std::optional<AwsCredentials> credentials_from_shared_file() {
    std::string path = util::env_string("AWS_SHARED_CREDENTIALS_FILE", "");
    if (path.empty()) {
        std::string home = util::env_string("HOME", "");
        if (home.empty()) return std::nullopt;
        path = home + "/.aws/credentials";
    }
    return credentials_from_file(path, util::env_string("AWS_PROFILE", "default"));
}

std::optional<AwsCredentials> credentials_from_imds(const std::string& endpoint) {
    std::string base = endpoint;
    while (!base.empty() && base.back() == '/') base.pop_back();
    auto token = imds_request(base + "/latest/api/token", "PUT",
                              "X-aws-ec2-metadata-token-ttl-seconds: 21600");
    if (!token) return std::nullopt;
    std::string auth = "X-aws-ec2-metadata-token: " + std::string(trim(*token));
    const std::string roles_url = base + "/latest/meta-data/iam/security-credentials/";
    auto roles = imds_request(roles_url, "GET", auth);
    if (!roles) return std::nullopt;
    std::string role(trim(std::string_view(*roles).substr(0, roles->find('\n'))));
    if (role.empty()) return std::nullopt;
    auto doc = imds_request(roles_url + role, "GET", auth);
    if (!doc) return std::nullopt;
    return parse_imds_credentials(*doc, role);
}

std::optional<AwsCredentials> parse_imds_credentials(std::string_view document,
                                                     const std::string& role) {
    auto json = nlohmann::json::parse(document, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object() || json.value("Code", "Success") != "Success") return std::nullopt;
    AwsCredentials c;
    c.access_key_id = json.value("AccessKeyId", "");
    c.secret_access_key = json.value("SecretAccessKey", "");
    c.session_token = json.value("Token", "");
    if (c.access_key_id.empty() || c.secret_access_key.empty()) return std::nullopt;
    if (auto exp = json.value("Expiration", ""); !exp.empty()) c.expiration = parse_iso8601(exp);
    c.source = "instance metadata (role " + role + ")";
    return c;
}

AwsCredentials resolve_credentials() {
    if (auto c = credentials_from_env()) return *c;
    if (auto c = credentials_from_shared_file()) return *c;
    if (util::env_string("AWS_EC2_METADATA_DISABLED", "") != "true") {
        std::string endpoint =
            util::env_string("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://169.254.169.254");
        if (auto c = credentials_from_imds(endpoint)) return *c;
    }
    throw ConfigError(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, provide a "
        "shared credentials file (AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE), or run with an "
        "instance role");
}

}  // namespace gdx::store::s3
