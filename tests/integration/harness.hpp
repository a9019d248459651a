#pragma once
// Test harness for end-to-end runs of the real gdx binary against real backends: a scratch
// workspace (store directory, SQLite file, logs), object uploads with chosen mtimes, and
// queries through `gdx sql --json` (an independent path from the loader).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "store/object_store.hpp"

namespace gdx::test {

// Where a workspace keeps its objects and tables. Tests are parametrised by it, never copied.
enum class Backend {
    Embedded,    // file:DIR + sqlite:FILE
    S3Postgres,  // s3:// on moto_server + postgresql:// (GDX_TEST_PG_URL or a cluster of our own)
    S3Only,      // s3:// on moto_server and no warehouse (jobs that load nothing)
};
std::string backend_name(Backend b);

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Called with the child's pid once `gdx` has started, before waiting for it (to signal it).
using WhileRunning = std::function<void(pid_t)>;

// Runs `gdx args...` with extra environment variables; captures stdout and stderr.
RunResult run_gdx(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {},
                  const std::filesystem::path& cwd = {}, const WhileRunning& while_running = {});

// A WhileRunning that waits (at most 30 s) until `ready()` holds, then sends SIGINT.
WhileRunning interrupt_when(std::function<bool()> ready);

class Workspace {
public:
    // pg_admin_url: the PostgreSQL server to create the workspace's database on, instead of the
    // test binary's shared one (a test that restarts or reconfigures its server).
    explicit Workspace(Backend backend = Backend::Embedded, const std::string& pg_admin_url = "");
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    Backend backend() const { return backend_; }
    const std::string& bucket() const { return bucket_; }
    std::string store_uri() const;
    const std::string& warehouse_uri() const { return warehouse_uri_; }
    // Environment every gdx run of this workspace gets (S3 endpoint and keys).
    const std::map<std::string, std::string>& env() const { return env_; }

    // Puts an object into the local store; its last-modified is the workspace's creation time -
    // age.
    void put(const std::string& bucket, const std::string& key, const std::string& bytes,
             std::chrono::seconds age = std::chrono::seconds(0));
    bool exists(const std::string& bucket, const std::string& key) const;
    void remove(const std::string& bucket, const std::string& key) const;
    std::string read(const std::string& bucket, const std::string& key) const;
    std::filesystem::path write_file(const std::string& name, const std::string& text) const;

    // `gdx <job> CONFIG --store … --warehouse … --log-dir …` plus extra args.
    RunResult run_job(const std::string& job, const std::filesystem::path& config,
                      const std::vector<std::string>& extra = {},
                      const std::map<std::string, std::string>& env = {},
                      const WhileRunning& while_running = {}) const;
    RunResult sql(const std::string& sql) const;  // fails the test on a non-zero exit
    std::vector<nlohmann::json> query(const std::string& sql) const;

private:
    Backend backend_;
    std::filesystem::path dir_;
    std::string bucket_;
    std::string warehouse_uri_;
    std::map<std::string, std::string> env_;
    std::unique_ptr<store::ObjectStore> store_;
    std::filesystem::file_time_type base_time_;
    std::optional<std::chrono::seconds> last_age_;  // ages count back from here, so ties are exact
};

// A config JSON for s3-to-redshift with the given overrides on top of a small default.
nlohmann::ordered_json base_config(const std::string& dbtable,
                                   const std::vector<std::string>& columns);

}  // namespace gdx::test
