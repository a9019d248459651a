#pragma once
// One SSH connection and its SFTP channel, made with libssh2 directly (docs/architecture.md,
// "s3-to-sfts: SFTP through libssh2"): TCP connect with a timeout, the handshake with the
// ciphers and MACs below, the host key checked against the pin before any credential is sent,
// then the key and/or the password, key first as OpenSSH does. Blocking mode: a call waits on
// the socket for the direction libssh2 needs (no busy polling), at most the stall timeout.
#include <libssh2.h>
#include <libssh2_sftp.h>

#include <string>

#include "transfer/sftp_options.hpp"
#include "util/error.hpp"

namespace gdx::transfer {

// The server refused the session itself (host key not the pinned one, login denied): every
// further operation would fail the same way.
class SessionRefused : public BackendError {
public:
    explicit SessionRefused(const std::string& message)
        : BackendError(message, ErrorKind::Target) {}
};

class SshConnection {
public:
    // Connects, checks the host key and logs in. `pin` is the bare base64 SHA-256 fingerprint
    // (may be empty when options.known_hosts is set); `where` starts every error message.
    // Throws SessionRefused (host key, login) or a transient BackendError (network).
    SshConnection(const SftpOptions& options, const std::string& pin, const std::string& where);
    ~SshConnection();
    SshConnection(const SshConnection&) = delete;
    SshConnection& operator=(const SshConnection&) = delete;

    LIBSSH2_SFTP* sftp() const { return sftp_; }
    // The login folder as the server names it ("/root"); relative paths are taken from there.
    const std::string& home() const { return home_; }
    // libssh2's text for the last failure of this session, or "" when it has none.
    std::string last_error() const;
    // True when the last failure was an SFTP status from the server (the connection is fine);
    // the status is then libssh2_sftp_last_error(sftp()).
    bool last_error_is_status() const;
    // The connection failed: what is still open on it is closed without waiting long, and
    // the owner makes a new one for the next operation.
    void mark_broken();
    bool broken() const { return broken_; }

private:
    void close();
    void handshake(const SftpOptions& o, const std::string& pin);
    void check_known_hosts(const SftpOptions& o);
    void prefer_known_host_key_type(const SftpOptions& o);
    void log_in(const SftpOptions& o);
    [[noreturn]] void refuse_host_key(const SftpOptions& o, const std::string& why,
                                      const std::string& detail);

    std::string where_;
    int fd_ = -1;
    LIBSSH2_SESSION* session_ = nullptr;
    LIBSSH2_SFTP* sftp_ = nullptr;
    std::string home_;
    bool broken_ = false;
    std::string password_;  // for the keyboard-interactive prompts only
};

}  // namespace gdx::transfer
