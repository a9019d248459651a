#pragma once
// Test helper: a private OpenSSH sshd with internal-sftp on a loopback port, with a fresh
// ed25519 host key and a client key pair made for it (Debian openssh-server, installed by
// scripts/install-deps.sh). Runs as the current user (root in CI); public-key login, and a
// password login on request (SshdOptions::password).
// SFTP sessions start in home() (`internal-sftp -d`), so relative paths land there.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "s3_servers.hpp"
#include "server_process.hpp"

namespace gdx::testing {

struct SshdOptions {
    // The SFTP server refuses every write (internal-sftp -R), like a folder the account
    // may not write to (root, which runs the tests, ignores file permissions).
    bool read_only = false;
    // SFTP requests the server refuses (internal-sftp -P), e.g. "rename,posix-rename".
    std::string denied_requests;
    // Password login for root, besides the key. sshd checks passwords against
    // /etc/shadow (UsePAM no), so the server runs in a private mount namespace where a
    // copy of /etc/shadow holding password() for root is mounted over the real one: the
    // machine's accounts are untouched. Needs unshare(1) and mount rights (root in CI).
    bool password = false;
};

class SshdServer {
public:
    explicit SshdServer(SshdOptions options = {}) : dir_(make_temp_dir("sshd")) {
        namespace fs = std::filesystem;
        run_command("ssh-keygen -q -t ed25519 -N '' -C gdx-test-host -f " + dir_ + "/host_key");
        run_command("ssh-keygen -q -t ed25519 -N '' -C gdx-test-client -f " + dir_ + "/client_key");
        run_command("ssh-keygen -q -t ed25519 -N '' -C gdx-test-other -f " + dir_ + "/other_key");
        fs::copy_file(dir_ + "/client_key.pub", dir_ + "/authorized_keys");
        fs::create_directories(home());
        fs::create_directories(root());
        std::error_code ec;
        fs::create_directories("/run/sshd", ec);  // sshd insists on it when run as root
        port_ = free_port();
        std::string sftp = "internal-sftp ";
        if (options.read_only) sftp += "-R ";
        if (!options.denied_requests.empty()) sftp += "-P " + options.denied_requests + " ";
        std::ofstream(dir_ + "/sshd_config")
            << "Port " << port_ << "\nListenAddress 127.0.0.1\nHostKey " << dir_
            << "/host_key\nAuthorizedKeysFile " << dir_
            << "/authorized_keys\nPasswordAuthentication "
            << (options.password ? "yes\nPermitRootLogin yes" : "no")
            << "\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\nStrictModes no\n"
               "UsePAM no\nLogLevel VERBOSE\nPidFile "
            << dir_ << "/sshd.pid\nMaxStartups 100\nMaxSessions 100\nSubsystem sftp internal-sftp\n"
            << "ForceCommand " << sftp << "-d " << home() << "\n";
        fingerprint_ =
            trim(run_command("ssh-keygen -lf " + dir_ + "/host_key.pub | cut -d' ' -f2"));
        other_fingerprint_ =
            trim(run_command("ssh-keygen -lf " + dir_ + "/other_key.pub | cut -d' ' -f2"));
        std::vector<std::string> argv{"/usr/sbin/sshd", "-D", "-e", "-f", dir_ + "/sshd_config"};
        if (options.password) {
            password_ = "pw-" + std::to_string(port_) + "-Kq7";
            run_command("awk -F: -v OFS=: -v h=\"$(openssl passwd -6 '" + password_ +
                        "')\" '$1==\"root\"{$2=h}1' /etc/shadow > " + dir_ +
                        "/shadow && chmod 600 " + dir_ + "/shadow");
            std::string cmd;
            for (const auto& a : argv) cmd += " " + a;
            argv = {"unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    "sh",
                    "-c",
                    "mount --bind " + dir_ + "/shadow /etc/shadow && exec" + cmd};
        }
        process_ = std::make_unique<ServerProcess>(argv, port_, log_path());
        // known_hosts as ssh-keyscan writes it for a non-standard port.
        std::ofstream(dir_ + "/known_hosts")
            << "[127.0.0.1]:" << port_ << " " << read_file(dir_ + "/host_key.pub");
        std::ofstream(dir_ + "/wrong_known_hosts")
            << "[127.0.0.1]:" << port_ << " " << read_file(dir_ + "/other_key.pub");
    }

    // One server for the whole test binary.
    static SshdServer& shared() {
        static SshdServer server;
        return server;
    }

    // A second server whose SFTP refuses writes; same user, its own host key.
    static SshdServer& shared_read_only() {
        SshdOptions o;
        o.read_only = true;
        static SshdServer server(o);
        return server;
    }

    // A server that refuses renames (as some file transfer servers do).
    static SshdServer& shared_without_rename() {
        SshdOptions o;
        o.denied_requests = "rename,posix-rename";
        static SshdServer server(o);
        return server;
    }

    // A server that also takes root's password(). Throws std::runtime_error when this machine
    // cannot run it (no unshare or mount rights); tests then skip, saying so.
    static SshdServer& shared_with_password() {
        SshdOptions o;
        o.password = true;
        static SshdServer server(o);
        return server;
    }

    int port() const { return port_; }
    // root's password on a server started with SshdOptions::password.
    const std::string& password() const { return password_; }
    // sshd's own log (LogLevel VERBOSE: accepted and failed logins by method).
    std::string log_path() const { return dir_ + "/sshd.log"; }
    const std::string& dir() const { return dir_; }
    // "SHA256:<base64>" as ssh-keygen -l prints it.
    const std::string& fingerprint() const { return fingerprint_; }
    // The fingerprint of a key the server does not have.
    const std::string& other_fingerprint() const { return other_fingerprint_; }
    std::string client_key() const { return dir_ + "/client_key"; }
    std::string unknown_key() const { return dir_ + "/other_key"; }
    std::string known_hosts() const { return dir_ + "/known_hosts"; }
    std::string wrong_known_hosts() const { return dir_ + "/wrong_known_hosts"; }
    // Where sessions start (relative paths).
    std::string home() const { return dir_ + "/home"; }
    // A folder for absolute paths; tests make their own sub-folders.
    std::string root() const { return dir_ + "/root"; }
    // A fresh empty folder under root().
    std::string fresh_folder(const std::string& tag) {
        std::string p = root() + "/" + tag + "-" + std::to_string(++folders_);
        std::filesystem::create_directories(p);
        return p;
    }

    static std::string read_file(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

private:
    static std::string trim(std::string s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
        return s;
    }

    std::string dir_;
    int port_ = 0;
    int folders_ = 0;
    std::string fingerprint_, other_fingerprint_;
    std::string password_;
    std::unique_ptr<ServerProcess> process_;
};

}  // namespace gdx::testing
