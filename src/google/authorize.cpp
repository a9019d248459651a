#include "google/authorize.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/rand.h>
#include <openssl/sha.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "google/jwt.hpp"
#include "google/settings.hpp"
#include "google/token_source.hpp"
#include "http/http_client.hpp"
#include "util/error.hpp"

namespace gdx::google {
namespace {

class Socket {
public:
    explicit Socket(int fd) : fd_(fd) {}
    ~Socket() {
        if (fd_ >= 0) ::close(fd_);
    }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    int fd() const { return fd_; }

private:
    int fd_;
};

std::string random_base64url(size_t bytes) {
    std::string raw(bytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1)
        throw BackendError("no random bytes from OpenSSL");
    return base64url(raw);
}

std::string pkce_challenge(const std::string& verifier) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
    return base64url(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        auto eq = pair.find('=');
        if (pair.substr(0, eq) == name)
            return eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

// Waits for the browser's GET /?code=...&state=..., answers it and returns its query.
std::string await_redirect(const Socket& listener, int timeout_s) {
    pollfd p{listener.fd(), POLLIN, 0};
    int ready = ::poll(&p, 1, timeout_s * 1000);
    if (ready <= 0)
        throw BackendError(fmt::format("no redirect from the browser within {} s", timeout_s));
    Socket conn(::accept(listener.fd(), nullptr, nullptr));
    if (conn.fd() < 0) throw BackendError(std::string("accept failed: ") + std::strerror(errno));
    std::string request;
    char buf[4096];
    while (request.find("\r\n\r\n") == std::string::npos && request.size() < 65536) {
        pollfd c{conn.fd(), POLLIN, 0};
        if (::poll(&c, 1, 10000) <= 0) break;
        ssize_t n = ::recv(conn.fd(), buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
    }
    std::string_view line(request);
    line = line.substr(0, line.find("\r\n"));
    auto sp1 = line.find(' ');
    auto sp2 = line.rfind(' ');
    std::string_view target =
        sp1 != std::string_view::npos && sp2 > sp1 ? line.substr(sp1 + 1, sp2 - sp1 - 1) : "";
    auto q = target.find('?');
    std::string query = q == std::string_view::npos ? "" : std::string(target.substr(q + 1));
    const char* page =
        "<html><body><p>gdx received the authorisation; you can close this window.</p></body>"
        "</html>";
    std::string answer = fmt::format(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n"
        "Connection: close\r\n\r\n{}",
        std::strlen(page), page);
    (void)!::send(conn.fd(), answer.data(), answer.size(), MSG_NOSIGNAL);
    return query;
}

void try_open_browser(const std::string& url) {
    pid_t pid = ::fork();
    if (pid == 0) {
        ::execlp("xdg-open", "xdg-open", url.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
}

}  // namespace

std::vector<std::string> scopes_for(const std::string& name) {
    if (name == "search") return {"https://www.googleapis.com/auth/webmasters.readonly"};
    if (name == "business") return {"https://www.googleapis.com/auth/business.manage"};
    throw ConfigError(fmt::format("--scope '{}' is not one of: search, business", name));
}

void authorize(const AuthorizeOptions& options, std::ostream& out) {
    const auto scopes = scopes_for(options.scope);
    const auto secrets = ClientSecrets::load(options.client_secrets);
    const auto settings = GoogleSettings::from_env();

    Socket listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(options.port));
    socklen_t len = sizeof addr;
    if (listener.fd() < 0 || ::bind(listener.fd(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listener.fd(), 4) != 0 ||
        ::getsockname(listener.fd(), reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        throw BackendError(
            fmt::format("cannot listen on 127.0.0.1:{}: {}", options.port, std::strerror(errno)));
    const std::string redirect_uri = fmt::format("http://127.0.0.1:{}", ntohs(addr.sin_port));

    const std::string state = random_base64url(16);
    const std::string verifier = random_base64url(48);
    std::string scope;
    for (const auto& s : scopes) scope += (scope.empty() ? "" : " ") + s;
    const std::string url = secrets.auth_uri + "?" +
                            form_encode({{"client_id", secrets.client_id},
                                         {"redirect_uri", redirect_uri},
                                         {"response_type", "code"},
                                         {"scope", scope},
                                         {"access_type", "offline"},
                                         {"prompt", "consent"},
                                         {"state", state},
                                         {"code_challenge", pkce_challenge(verifier)},
                                         {"code_challenge_method", "S256"}});
    out << "Open this URL in a browser, sign in and allow access:\n\n"
        << url << "\n\n"
        << "Waiting for the redirect to " << redirect_uri << " ...\n"
        << std::flush;
    if (!options.no_browser) try_open_browser(url);

    const std::string query = await_redirect(listener, options.timeout_s);
    if (auto error = query_param(query, "error"); !error.empty())
        throw AuthError("the authorisation was refused: " + error, false);
    if (query_param(query, "state") != state)
        throw AuthError("the redirect's state does not match this request (ignored)", false);
    const std::string code = query_param(query, "code");
    if (code.empty()) throw AuthError("the redirect carried no authorisation code", false);

    http::HttpClient http;
    http::HttpRequest req;
    req.method = "POST";
    req.url = settings.token_uri.empty() ? secrets.token_uri : settings.token_uri;
    req.headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"};
    req.body = form_encode({{"grant_type", "authorization_code"},
                            {"code", code},
                            {"client_id", secrets.client_id},
                            {"client_secret", secrets.client_secret},
                            {"redirect_uri", redirect_uri},
                            {"code_verifier", verifier}});
    http::HttpResponse res = http.perform(req);
    auto body = nlohmann::ordered_json::parse(res.body, nullptr, false);
    if (res.status != 200 || !body.is_object() || !body.contains("refresh_token") ||
        !body["refresh_token"].is_string())
        throw AuthError(
            fmt::format("the token endpoint {} did not give a refresh token (HTTP {}: {})",
                        http::url_for_message(req.url), res.status,
                        body.is_object() ? body.value("error", "") : "no JSON"),
            false);
    auto store = StoredCredentials::create(options.credentials, secrets, scopes);
    store.apply_token_response(body, std::chrono::system_clock::now());
    store.save();
    out << "Credentials written to " << options.credentials.string() << "\n";
    int status = 0;
    while (::waitpid(-1, &status, WNOHANG) > 0) {
    }
}

}  // namespace gdx::google
