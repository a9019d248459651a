#pragma once
// Test helper: S3-compatible servers on loopback, started on first use and stopped when
// the test binary exits. moto_server is on the image; s3rver comes from the repo's
// package.json (installed by scripts/s3-servers.sh when node_modules is missing).
#include <stdlib.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../support/test_paths.hpp"
#include "server_process.hpp"

namespace gdx::testing {

inline constexpr const char* kS3AccessKey = "S3RVER";  // s3rver's fixed pair; moto takes any
inline constexpr const char* kS3SecretKey = "S3RVER";

// Paths this test process created under /tmp: deleted when it exits with every test passed,
// kept (with the servers' logs and data) for inspection when one failed. Constructed after
// GoogleTest's UnitTest (which test registration creates), so destroyed before it.
class TempPaths {
public:
    static TempPaths& instance() {
        static TempPaths paths;
        return paths;
    }
    void add(std::string path) {
        std::lock_guard lock(mutex_);
        paths_.push_back(std::move(path));
    }
    ~TempPaths() {
        if (!::testing::UnitTest::GetInstance()->Passed()) return;
        for (const auto& p : paths_) {
            std::error_code ec;
            std::filesystem::remove_all(p, ec);
        }
    }

private:
    std::mutex mutex_;
    std::vector<std::string> paths_;
};

inline std::string make_temp_dir(const std::string& tag) {
    std::string tmpl = "/tmp/gdx-" + tag + "-XXXXXX";
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    TempPaths::instance().add(tmpl);
    return tmpl;
}

// The moto server of this test process. GDX_TEST_MOTO_URL names a shared one (scripts/test.sh
// starts one per suite run, so the ~200 test processes that use S3 skip moto's start, a second
// or more of Python imports each); else one is started on first use. Sharing is safe because
// every test works in buckets of its own (named with the process id).
class MotoServer {
public:
    std::string url() const { return process_ ? process_->url() : url_; }

    static const MotoServer& instance() {
        static MotoServer server;
        return server;
    }

private:
    MotoServer() {
        if (const char* shared = std::getenv("GDX_TEST_MOTO_URL"); shared && *shared) {
            url_ = shared;
            return;
        }
        int port = free_port();
        std::string dir = make_temp_dir("moto");
        process_ = std::make_unique<ServerProcess>(
            std::vector<std::string>{"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)},
            port, dir + "/moto.log");
    }
    std::string url_;
    std::unique_ptr<ServerProcess> process_;
};

inline const MotoServer& moto_server() {
    return MotoServer::instance();
}

// moto_server with IAM authentication on (INITIAL_NO_AUTH_ACTION_COUNT): after the three
// requests of tests/fakes/moto_iam_user.py it checks the SigV4 signature and the IAM policy
// of every request. Only this key pair is accepted. Note: moto canonicalises the path from
// werkzeug's re-quoted URL, so it rejects even botocore's correct signatures for keys with
// + ' = % ( ) or non-ASCII bytes; fault_proxy.py --verify checks those.
struct VerifyingMoto {
    std::unique_ptr<ServerProcess> process;
    std::string access_key, secret_key;
};
inline VerifyingMoto& verifying_moto_server() {
    static VerifyingMoto server = [] {
        int port = free_port();
        std::string dir = make_temp_dir("moto-iam");
        VerifyingMoto m;
        m.process = std::make_unique<ServerProcess>(
            std::vector<std::string>{"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port)},
            port, dir + "/moto.log", std::vector<std::string>{"INITIAL_NO_AUTH_ACTION_COUNT=3"});
        std::string out = run_command("python3 " + source_dir() + "/tests/fakes/moto_iam_user.py " +
                                      m.process->url() + " gdx-test");
        auto space = out.find(' ');
        m.access_key = out.substr(0, space);
        m.secret_key = out.substr(space + 1);
        while (!m.secret_key.empty() && m.secret_key.back() == '\n') m.secret_key.pop_back();
        return m;
    }();
    return server;
}

// nullptr (with the reason in *why) when s3rver cannot be installed here.
inline ServerProcess* s3rver_server(std::string* why) {
    static std::string reason;
    static std::unique_ptr<ServerProcess> server = []() -> std::unique_ptr<ServerProcess> {
        std::string bin = source_dir() + "/node_modules/.bin/s3rver";
        if (::access(bin.c_str(), X_OK) != 0) {
            if (std::system("command -v npm >/dev/null 2>&1") != 0) {
                reason = "npm is not installed, so s3rver (package.json) cannot be installed";
                return nullptr;
            }
            std::string cmd = "bash " + source_dir() + "/scripts/s3-servers.sh install >&2";
            if (std::system(cmd.c_str()) != 0 || ::access(bin.c_str(), X_OK) != 0) {
                reason = "'scripts/s3-servers.sh install' failed to install s3rver";
                return nullptr;
            }
        }
        int port = free_port();
        std::string dir = make_temp_dir("s3rver");
        TempPaths::instance().add(dir + ".log");
        return std::make_unique<ServerProcess>(
            std::vector<std::string>{bin, "-d", dir, "-a", "127.0.0.1", "-p", std::to_string(port),
                                     "--silent"},
            port, dir + ".log",
            // s3rver's continuation tokens use DES, which OpenSSL 3 keeps in its legacy provider.
            std::vector<std::string>{"NODE_OPTIONS=--openssl-legacy-provider"});
    }();
    if (!server && why) *why = reason;
    return server.get();
}

// Runs tests/fakes/s3_check.py (boto3, an independent S3 client) against endpoint.
inline std::string boto(const std::string& endpoint, const std::string& args) {
    return run_command("AWS_ACCESS_KEY_ID=" + std::string(kS3AccessKey) +
                       " AWS_SECRET_ACCESS_KEY=" + kS3SecretKey +
                       " AWS_DEFAULT_REGION=us-east-1 python3 " + source_dir() +
                       "/tests/fakes/s3_check.py " + endpoint + " " + args);
}

}  // namespace gdx::testing
