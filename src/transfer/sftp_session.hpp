#pragma once
// TransferSession over SFTP with libcurl (libssh2 backend). One libcurl handle for the whole
// run, so every operation reuses the same SSH connection; a transient failure drops it and the
// next operation reconnects. The server's host key is always verified (pinned SHA-256 or a
// known_hosts file); the private key is tried before the password, as OpenSSH does.
#include <curl/curl.h>

#include <memory>

#include "transfer/sftp_options.hpp"
#include "transfer/transfer.hpp"
#include "util/error.hpp"

namespace gdx::transfer {

// The server refused the session itself (host key not the pinned one, login denied): every
// further operation would fail the same way.
class SessionRefused : public BackendError {
public:
    explicit SessionRefused(const std::string& message)
        : BackendError(message, ErrorKind::Target) {}
};

class SftpSession : public TransferSession {
public:
    // Throws ConfigError when no host key pin is given or the options are unusable. Does not
    // connect yet: the first operation does.
    explicit SftpSession(SftpOptions options);
    ~SftpSession() override;

    std::optional<uint64_t> size_of(const std::string& path) override;
    void upload(const std::string& path, store::ObjectReader& source,
                const UploadExpectation& expect) override;
    void rename(const std::string& from, const std::string& to) override;
    std::vector<std::string> list(const std::string& dir) override;
    void remove(const std::string& path) override;
    std::string describe() const override;

private:
    struct Handle;
    CURL* prepare(const std::string& path);
    [[noreturn]] void fail(CURLcode rc, const std::string& what, const std::string& path);
    void run_quote(const std::string& dir, const std::string& command, const std::string& what,
                   const std::string& path);
    SftpOptions options_;
    std::unique_ptr<Handle> handle_;
};

}  // namespace gdx::transfer
