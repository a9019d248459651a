#pragma once
// TransferSession over SFTP with libssh2 (docs/architecture.md, "s3-to-sfts: SFTP through
// libssh2"). One SSH connection for the whole run (SshConnection); a transient failure drops
// it and the next operation reconnects. The server's host key is always verified (pinned
// SHA-256 or a known_hosts file); the private key is tried before the password, as OpenSSH
// does. Uploads keep many write requests in flight, as OpenSSH's sftp does.
#include <memory>

#include "transfer/sftp_options.hpp"
#include "transfer/ssh_connection.hpp"
#include "transfer/transfer.hpp"
#include "util/error.hpp"

namespace gdx::transfer {

class SftpSession : public TransferSession {
public:
    // Throws ConfigError when no host key pin is given or the options are unusable. Does not
    // connect yet: the first operation does.
    explicit SftpSession(SftpOptions options);
    ~SftpSession() override;

    std::optional<uint64_t> size_of(const std::string& path) override;
    using TransferSession::upload;
    void upload(const std::string& path, store::ObjectReader& source,
                const UploadExpectation& expect,
                const std::function<void()>& source_verified) override;
    void rename(const std::string& from, const std::string& to) override;
    std::vector<std::string> list(const std::string& dir) override;
    void remove(const std::string& path) override;
    std::string describe() const override;

private:
    SshConnection& connection();
    // The path as the server takes it: relative paths are under the login folder.
    std::string on_server(const std::string& path);
    // The SFTP status of the last failure (0 when it was not one).
    unsigned long last_status() const;
    // Throws the failure of `what` with the server's text. A failure of the connection (not an
    // SFTP status) drops it, so that the next operation (a retry) starts a fresh session.
    [[noreturn]] void fail(const std::string& what, const std::string& path);
    void make_folders(const std::string& dir);

    SftpOptions options_;
    std::string pin_;  // bare base64 SHA-256 of the host key, or empty
    std::unique_ptr<SshConnection> connection_;
};

}  // namespace gdx::transfer
