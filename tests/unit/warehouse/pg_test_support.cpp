#include "pg_test_support.hpp"
#include "../support/test_paths.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>

namespace gdx::test {

namespace {

std::string run(const std::string& command) {
    std::string out;
    FILE* p = popen(command.c_str(), "r");
    if (!p) throw std::runtime_error("popen failed: " + command);
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int status = pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("command failed: " + command + "\n" + out);
    }
    return out;
}

std::string shell_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

// Owns the throw-away cluster; gtest tears environments down after the last test.
class PgClusterEnvironment : public ::testing::Environment {
public:
    const std::string& url() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (url_.empty()) {
            if (const char* u = std::getenv("GDX_TEST_PG_URL"); u && *u) {
                url_ = u;
            } else {
                char tmpl[] = "/tmp/gdx-pg-test-XXXXXX";
                if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
                dir_ = tmpl;
                url_ = run(gdx::testing::source_dir() + "/scripts/pg-cluster.sh start " + dir_ +
                           " " + std::to_string(::getpid()));
                while (!url_.empty() && url_.back() == '\n') url_.pop_back();
            }
        }
        return url_;
    }
    void TearDown() override {
        if (dir_.empty()) return;
        std::system((gdx::testing::source_dir() + "/scripts/pg-cluster.sh stop " + dir_ +
                     " >/dev/null 2>&1")
                        .c_str());
        std::filesystem::remove_all(dir_);
        dir_.clear();
    }

private:
    std::mutex mutex_;
    std::string url_;
    std::string dir_;
};

PgClusterEnvironment* environment() {
    static PgClusterEnvironment* env = static_cast<PgClusterEnvironment*>(
        ::testing::AddGlobalTestEnvironment(new PgClusterEnvironment));
    return env;
}
// Registered before main() so that TearDown runs even if the first use is late.
[[maybe_unused]] PgClusterEnvironment* const registered = environment();

}  // namespace

const std::string& pg_server_url() {
    return environment()->url();
}

std::string pg_fresh_database(const std::string& prefix) {
    static std::atomic<int> counter{0};
    std::string name = prefix + "_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    psql(pg_server_url(), "DROP DATABASE IF EXISTS " + name + "; CREATE DATABASE " + name);
    const std::string& base = pg_server_url();
    size_t q = base.find('?');
    std::string head = base.substr(0, q);
    std::string tail = q == std::string::npos ? "" : base.substr(q);
    return head.substr(0, head.rfind('/') + 1) + name + tail;
}

std::string psql(const std::string& url, const std::string& sql) {
    char tmpl[] = "/tmp/gdx-psql-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    {
        std::ofstream f(tmpl, std::ios::binary);
        f << sql;
    }
    std::string out;
    try {
        out = run("psql -X -q -A -t -v ON_ERROR_STOP=1 -d " + shell_quote(url) + " -f " + tmpl +
                  " 2>&1");
    } catch (...) {
        std::remove(tmpl);
        throw;
    }
    std::remove(tmpl);
    return out;
}

TempStore::TempStore() {
    char tmpl[] = "/tmp/gdx-store-XXXXXX";
    if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    store = store::open_store("file:" + dir.string());
}

TempStore::~TempStore() {
    std::filesystem::remove_all(dir);
}

}  // namespace gdx::test
