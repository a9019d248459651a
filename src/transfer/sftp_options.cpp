#include "transfer/sftp_options.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace gdx::transfer {

std::string normalize_sha256_fingerprint(const std::string& fingerprint, const std::string& what) {
    std::string b64 = fingerprint;
    if (b64.rfind("SHA256:", 0) == 0) b64 = b64.substr(7);
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    // 32 bytes are 43 base64 characters without padding.
    bool valid = b64.size() == 43;
    for (char c : b64)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/')) valid = false;
    if (!valid)
        throw ConfigError(fmt::format(
            "{}: \"{}\" is not a SHA-256 host key fingerprint (expected SHA256:<43 base64 "
            "characters>, as `ssh-keygen -l` prints it)",
            what, fingerprint));
    return b64;
}

std::string fingerprint_hint(const std::string& host, int port) {
    return fmt::format("ssh-keyscan -p {} {} | ssh-keygen -lf -", port, host);
}

}  // namespace gdx::transfer
