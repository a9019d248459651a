#pragma once
// How to reach and trust an SFTP server (docs/config-reference.md, s3-to-sfts).
#include <cstdint>
#include <string>

namespace gdx::transfer {

struct SftpOptions {
    std::string host;
    int port = 22;
    std::string user;
    std::string password;       // may be empty; never logged, never on a command line
    std::string identity_file;  // private key file; may be empty
    // Host key pin: a SHA-256 fingerprint as `ssh-keygen -l` prints it ("SHA256:" + base64)
    // or the bare base64, and/or a known_hosts file. At least one is required.
    std::string host_key_sha256;
    std::string known_hosts;
    // An upload into a folder that does not exist creates it (and its parents) first.
    bool create_missing_folders = false;
    long connect_timeout_seconds = 30;
    // A call that waits this long for the server (an acknowledgement, an answer) fails as a
    // transient error: a hung server.
    long stall_timeout_seconds = 120;
};

// The bare base64 of a fingerprint given as "SHA256:<b64>" or "<b64>" (padding removed).
// Throws ConfigError (naming `what`) when it is not the base64 of 32 bytes.
std::string normalize_sha256_fingerprint(const std::string& fingerprint, const std::string& what);

// The command that prints a server's fingerprint, for error messages.
std::string fingerprint_hint(const std::string& host, int port);

}  // namespace gdx::transfer
