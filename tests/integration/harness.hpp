#pragma once
// Test harness for end-to-end runs of the real gdx binary against real backends: a scratch
// workspace (store directory, SQLite file, logs), object uploads with chosen mtimes, and
// queries through `gdx sql --json` (an independent path from the loader).
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::test {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `gdx args...` with extra environment variables; captures stdout and stderr.
RunResult run_gdx(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {},
                  const std::filesystem::path& cwd = {});

class Workspace {
  public:
    Workspace();
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    const std::filesystem::path& dir() const { return dir_; }
    std::string store_uri() const { return "file:" + (dir_ / "store").string(); }
    std::string warehouse_uri() const { return "sqlite:" + (dir_ / "gdx.db").string(); }

    // Puts an object into the local store; its last-modified is the workspace's creation time -
    // age.
    void put(const std::string& bucket, const std::string& key, const std::string& bytes,
             std::chrono::seconds age = std::chrono::seconds(0));
    bool exists(const std::string& bucket, const std::string& key) const;
    std::string read(const std::string& bucket, const std::string& key) const;
    std::filesystem::path write_file(const std::string& name, const std::string& text) const;

    // `gdx <job> CONFIG --store … --warehouse … --log-dir …` plus extra args.
    RunResult run_job(const std::string& job, const std::filesystem::path& config,
                      const std::vector<std::string>& extra = {},
                      const std::map<std::string, std::string>& env = {}) const;
    RunResult sql(const std::string& sql) const;  // fails the test on a non-zero exit
    std::vector<nlohmann::json> query(const std::string& sql) const;

  private:
    std::filesystem::path dir_;
    std::filesystem::file_time_type base_time_;  // ages count back from here, so ties are exact
};

// A config JSON for s3-to-redshift with the given overrides on top of a small default.
nlohmann::ordered_json base_config(const std::string& dbtable,
                                   const std::vector<std::string>& columns);

}  // namespace gdx::test
