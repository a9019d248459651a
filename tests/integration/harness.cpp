#include "harness.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <fstream>
#include <sstream>

extern char** environ;

namespace fs = std::filesystem;

namespace gdx::test {
namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace

RunResult run_gdx(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env, const fs::path& cwd) {
    static int counter = 0;
    fs::path tmp = fs::temp_directory_path() /
                   ("gdx-run-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::path out = tmp.string() + ".out", err = tmp.string() + ".err";

    std::vector<std::string> argv_s{GDX_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);

    std::map<std::string, std::string> merged;
    for (char** e = environ; *e; ++e) {
        std::string kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string::npos) merged[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    merged.erase("GDX_STORE");
    merged.erase("GDX_WAREHOUSE");
    for (auto& [k, v] : env) merged[k] = v;
    std::vector<std::string> env_s;
    for (auto& [k, v] : merged) env_s.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);

    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (!cwd.empty()) posix_spawn_file_actions_addchdir_np(&fa, cwd.c_str());
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    RunResult r;
    if (rc != 0) {
        r.err = "posix_spawn failed";
        return r;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

Workspace::Workspace() {
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "ws";
    for (auto& c : name)
        if (c == '/') c = '_';
    dir_ = fs::temp_directory_path() / ("gdx-it-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "store");
    base_time_ = fs::file_time_type::clock::now();
}

Workspace::~Workspace() {
    if (!::testing::Test::HasFailure()) fs::remove_all(dir_);
}

void Workspace::put(const std::string& bucket, const std::string& key, const std::string& bytes,
                    std::chrono::seconds age) {
    fs::path p = dir_ / "store" / bucket / key;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    fs::last_write_time(p, base_time_ - age);
}

bool Workspace::exists(const std::string& bucket, const std::string& key) const {
    return fs::exists(dir_ / "store" / bucket / key);
}

std::string Workspace::read(const std::string& bucket, const std::string& key) const {
    return slurp(dir_ / "store" / bucket / key);
}

fs::path Workspace::write_file(const std::string& name, const std::string& text) const {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

RunResult Workspace::run_job(const std::string& job, const fs::path& config,
                             const std::vector<std::string>& extra,
                             const std::map<std::string, std::string>& env) const {
    std::vector<std::string> args{job,         config.string(),         "--store",
                                  store_uri(), "--warehouse",           warehouse_uri(),
                                  "--log-dir", (dir_ / "logs").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_gdx(args, env, dir_);
}

RunResult Workspace::sql(const std::string& sql) const {
    auto r = run_gdx(
        {"sql", "-c", sql, "--warehouse", warehouse_uri(), "--log-dir", (dir_ / "logs").string()});
    EXPECT_EQ(r.exit_code, 0) << "gdx sql failed: " << sql << "\n" << r.err;
    return r;
}

std::vector<nlohmann::json> Workspace::query(const std::string& sql) const {
    auto r = run_gdx({"sql", "--json", "-c", sql, "--warehouse", warehouse_uri(), "--log-dir",
                      (dir_ / "logs").string()});
    EXPECT_EQ(r.exit_code, 0) << "query failed: " << sql << "\n" << r.err;
    std::vector<nlohmann::json> rows;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
    return rows;
}

nlohmann::ordered_json base_config(const std::string& dbtable,
                                   const std::vector<std::string>& columns) {
    nlohmann::ordered_json j;
    j["bucket"] = "test-bucket";
    j["source"] = "client";
    j["destination"] = "processed";
    j["directory"] = "dir";
    j["doc"] = ".*\\.csv";
    j["dbtable"] = dbtable;
    j["column_count"] = columns.size();
    j["columns"] = columns;
    j["delim"] = "|";
    j["truncate"] = false;
    return j;
}

}  // namespace gdx::test
