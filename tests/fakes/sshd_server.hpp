#pragma once
// Test helper: a private OpenSSH sshd with internal-sftp on a loopback port, with a fresh
// ed25519 host key and a client key pair made for it (Debian openssh-server, installed by
// scripts/install-deps.sh). Runs as the current user (root in CI), public-key login only.
// SFTP sessions start in home() (`internal-sftp -d`), so relative paths land there.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "s3_servers.hpp"
#include "server_process.hpp"

namespace gdx::testing {

class SshdServer {
public:
    // read_only: the SFTP server refuses every write (internal-sftp -R), like a folder the
    // account may not write to (root, which runs the tests, ignores file permissions).
    explicit SshdServer(bool read_only = false) : dir_(make_temp_dir("sshd")) {
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
        std::ofstream(dir_ + "/sshd_config")
            << "Port " << port_ << "\nListenAddress 127.0.0.1\nHostKey " << dir_
            << "/host_key\nAuthorizedKeysFile " << dir_
            << "/authorized_keys\nPasswordAuthentication no\nKbdInteractiveAuthentication "
               "no\nPubkeyAuthentication yes\nStrictModes no\nUsePAM no\nPidFile "
            << dir_ << "/sshd.pid\nMaxStartups 100\nMaxSessions 100\nSubsystem sftp internal-sftp\n"
            << "ForceCommand internal-sftp " << (read_only ? "-R " : "") << "-d " << home() << "\n";
        fingerprint_ =
            trim(run_command("ssh-keygen -lf " + dir_ + "/host_key.pub | cut -d' ' -f2"));
        other_fingerprint_ =
            trim(run_command("ssh-keygen -lf " + dir_ + "/other_key.pub | cut -d' ' -f2"));
        process_ = std::make_unique<ServerProcess>(
            std::vector<std::string>{"/usr/sbin/sshd", "-D", "-e", "-f", dir_ + "/sshd_config"},
            port_, dir_ + "/sshd.log");
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
        static SshdServer server(true);
        return server;
    }

    int port() const { return port_; }
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
    std::unique_ptr<ServerProcess> process_;
};

}  // namespace gdx::testing
