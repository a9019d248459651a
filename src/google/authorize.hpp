#pragma once
// `gdx google-auth`: the first authorisation of a user, once, by hand. A loopback redirect
// (http://127.0.0.1:<port>) with PKCE (S256) and a random state; the code is exchanged for a
// refresh token, written as the originals' stored-credential file (mode 0600).
#include <filesystem>
#include <iosfwd>
#include <string>
#include <vector>

namespace gdx::google {

struct AuthorizeOptions {
    std::filesystem::path client_secrets;
    std::filesystem::path credentials;
    std::string scope = "search";  // "search" or "business"
    bool no_browser = false;       // print the URL only (no xdg-open)
    int port = 0;                  // 0: a free port
    int timeout_s = 600;           // how long to wait for the browser's redirect
};

// The OAuth scopes a --scope name stands for; throws ConfigError for an unknown name.
std::vector<std::string> scopes_for(const std::string& name);

// Runs the flow; progress and the URL go to `out`. Throws ConfigError for bad input,
// AuthError when Google refuses, BackendError for I/O failures.
void authorize(const AuthorizeOptions& options, std::ostream& out);

}  // namespace gdx::google
