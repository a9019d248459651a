#include "google/credential_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <date/date.h>
#include <fmt/format.h>

#include "config/json_file.hpp"
#include "google/settings.hpp"
#include "util/error.hpp"
#include "util/redact.hpp"

namespace gdx::google {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::string string_field(const ordered_json& obj, const char* name) {
    auto it = obj.find(name);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string required(const ordered_json& obj, const char* name, const fs::path& path,
                     const char* what) {
    std::string v = string_field(obj, name);
    if (v.empty())
        throw ConfigError(fmt::format("{}: {} has no \"{}\" (a non-empty string is required)",
                                      path.string(), what, name));
    return v;
}

void require_object(const ordered_json& doc, const fs::path& path, const char* what) {
    if (!doc.is_object())
        throw ConfigError(fmt::format("{}: {} must be a JSON object", path.string(), what));
}

constexpr const char* kExpiryFormat = "%Y-%m-%dT%H:%M:%SZ";

}  // namespace

ClientSecrets ClientSecrets::load(const fs::path& path) {
    return from_json(config::load_json_file(path), path);
}

ClientSecrets ClientSecrets::from_json(const ordered_json& doc, const fs::path& path) {
    require_object(doc, path, "the client secrets file");
    const ordered_json* app = nullptr;
    for (const char* kind : {"installed", "web"})
        if (doc.contains(kind) && doc[kind].is_object()) app = &doc[kind];
    if (!app)
        throw ConfigError(fmt::format(
            "{}: the client secrets file needs an \"installed\" (or \"web\") object, as the Google "
            "Cloud console downloads it",
            path.string()));
    ClientSecrets s;
    s.client_id = required(*app, "client_id", path, "the client secrets file");
    s.client_secret = required(*app, "client_secret", path, "the client secrets file");
    s.auth_uri = string_field(*app, "auth_uri");
    if (s.auth_uri.empty()) s.auth_uri = "https://accounts.google.com/o/oauth2/v2/auth";
    s.token_uri = string_field(*app, "token_uri");
    if (s.token_uri.empty()) s.token_uri = "https://oauth2.googleapis.com/token";
    util::add_secret(s.client_secret);
    return s;
}

std::chrono::seconds token_lifetime(const ordered_json& response) {
    constexpr double kLongest = 10.0 * 366 * 24 * 3600;
    constexpr std::chrono::seconds kDefault{3600};
    auto it = response.find("expires_in");
    if (it == response.end() || !it->is_number()) return kDefault;
    const double seconds = it->get<double>();
    if (!(seconds >= 0 && seconds <= kLongest)) return kDefault;
    return std::chrono::seconds(static_cast<long>(seconds));
}

bool is_service_account_file(const ordered_json& doc) {
    return string_field(doc, "type") == "service_account";
}

StoredCredentials StoredCredentials::load(const fs::path& path) {
    return from_json(config::load_json_file(path), path);
}

StoredCredentials StoredCredentials::from_json(ordered_json doc, const fs::path& path) {
    require_object(doc, path, "the credential file");
    StoredCredentials c;
    c.path_ = path;
    c.doc_ = std::move(doc);
    required(c.doc_, "refresh_token", path, "the stored credentials");
    required(c.doc_, "client_id", path, "the stored credentials");
    required(c.doc_, "client_secret", path, "the stored credentials");
    for (const char* secret : {"refresh_token", "client_secret", "access_token"})
        util::add_secret(string_field(c.doc_, secret));
    return c;
}

StoredCredentials StoredCredentials::create(const fs::path& path, const ClientSecrets& client,
                                            const std::vector<std::string>& scopes) {
    StoredCredentials c;
    c.path_ = path;
    c.doc_ = ordered_json{{"access_token", nullptr},
                          {"client_id", client.client_id},
                          {"client_secret", client.client_secret},
                          {"refresh_token", nullptr},
                          {"token_expiry", nullptr},
                          {"token_uri", client.token_uri},
                          {"user_agent", nullptr},
                          {"revoke_uri", "https://oauth2.googleapis.com/revoke"},
                          {"id_token", nullptr},
                          {"id_token_jwt", nullptr},
                          {"token_response", nullptr},
                          {"scopes", scopes},
                          {"token_info_uri", "https://oauth2.googleapis.com/tokeninfo"},
                          {"invalid", false},
                          {"_class", "OAuth2Credentials"},
                          {"_module", "oauth2client.client"}};
    return c;
}

std::string StoredCredentials::field(const char* name) const {
    return string_field(doc_, name);
}

bool StoredCredentials::invalid() const {
    auto it = doc_.find("invalid");
    return it != doc_.end() && it->is_boolean() && it->get<bool>();
}

std::optional<StoredCredentials::AccessToken> StoredCredentials::usable_access_token(
    std::chrono::system_clock::time_point now, std::chrono::seconds margin) const {
    std::string token = field("access_token");
    std::string expiry = field("token_expiry");
    if (token.empty() || expiry.empty() || invalid()) return std::nullopt;
    auto t = parse_utc_timestamp(expiry);
    // In seconds: a far expiry (year 8845) overflowed nanoseconds (found by fuzzing).
    if (!t || std::chrono::floor<std::chrono::seconds>(now) + margin >= *t) return std::nullopt;
    return AccessToken{token, *t};
}

void StoredCredentials::apply_token_response(const ordered_json& response,
                                             std::chrono::system_clock::time_point now) {
    std::string token = string_field(response, "access_token");
    util::add_secret(token);
    doc_["access_token"] = token;
    doc_["token_expiry"] = date::format(
        kExpiryFormat, std::chrono::floor<std::chrono::seconds>(now) + token_lifetime(response));
    doc_["token_response"] = response;
    doc_["invalid"] = false;
    if (response.contains("refresh_token") && response["refresh_token"].is_string()) {
        util::add_secret(response["refresh_token"].get<std::string>());
        doc_["refresh_token"] = response["refresh_token"];
    }
}

void StoredCredentials::mark_invalid() {
    doc_["invalid"] = true;
}

void StoredCredentials::save() const {
    write_private_file(path_, doc_.dump(2) + "\n");
}

ServiceAccountKey ServiceAccountKey::from_json(const ordered_json& doc, const fs::path& path) {
    ServiceAccountKey k;
    k.client_email = required(doc, "client_email", path, "the service-account key");
    k.private_key = required(doc, "private_key", path, "the service-account key");
    k.private_key_id = string_field(doc, "private_key_id");
    k.token_uri = string_field(doc, "token_uri");
    if (k.token_uri.empty()) k.token_uri = "https://oauth2.googleapis.com/token";
    util::add_secret(k.private_key);
    return k;
}

void write_private_file(const fs::path& path, const std::string& text) {
    fs::path tmp = path;
    tmp += fmt::format(".tmp{}", ::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw BackendError(fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
    ::fchmod(fd, 0600);  // also when the file existed with wider permissions
    size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw BackendError(
                fmt::format("cannot write {}: {}", tmp.string(), std::strerror(err)));
        }
        done += static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        throw BackendError(fmt::format("cannot replace {}: {}", path.string(), std::strerror(err)));
    }
}

}  // namespace gdx::google
