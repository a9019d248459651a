#pragma once
// The transfer seam: one session to a file transfer server for a whole run. Jobs only talk to
// this interface; SftpSession (sftp_session.hpp) implements it over libssh2.
//
// Remote paths are either absolute ("/dir/file") or relative to the login folder ("dir/file").
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/object_store.hpp"

namespace gdx::transfer {

// What an upload must be, checked while the bytes flow.
struct UploadExpectation {
    uint64_t size = 0;
    std::string md5_hex;  // lower-case hex MD5 of the content; empty: not checked
};

class TransferSession {
public:
    virtual ~TransferSession() = default;

    // Size of the file at `path`, or nullopt when there is no such file.
    virtual std::optional<uint64_t> size_of(const std::string& path) = 0;
    // Streams `source` to `path` (created or truncated). Throws BackendError when the transfer
    // fails or when the bytes sent differ from `expect` in length or MD5; the remote file may
    // then be partial. `source_verified` (may be empty) is called once, as soon as the whole
    // source has been read and matched `expect`: `path` exists on the server then, while the
    // last bytes may still be on their way (work that must follow a verified source, such as a
    // journal, can start there instead of after the last round trip).
    virtual void upload(const std::string& path, store::ObjectReader& source,
                        const UploadExpectation& expect,
                        const std::function<void()>& source_verified) = 0;
    void upload(const std::string& path, store::ObjectReader& source,
                const UploadExpectation& expect) {
        upload(path, source, expect, {});
    }
    // Renames `from` to `to`; fails if `to` exists (the server refuses, it never overwrites).
    virtual void rename(const std::string& from, const std::string& to) = 0;
    // Names of the entries of `dir` (without "." and "..").
    virtual std::vector<std::string> list(const std::string& dir) = 0;
    virtual void remove(const std::string& path) = 0;
    // For logs: "sftp://user@host:port" (never a secret).
    virtual std::string describe() const = 0;
};

}  // namespace gdx::transfer
