#include "harness.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cstdlib>
#include <random>
#include <thread>

#include "../fakes/s3_servers.hpp"
#include "../support/test_paths.hpp"
#include "file_text.hpp"
#include "store/s3/s3_client.hpp"
#include "store/s3/s3_store.hpp"

#include <fcntl.h>
#include <signal.h>
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

RunResult run_gdx(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env, const fs::path& cwd,
                  const WhileRunning& while_running) {
    static int counter = 0;
    fs::path tmp = fs::temp_directory_path() /
                   ("gdx-run-" + std::to_string(getpid()) + "-" + std::to_string(counter++));
    fs::path out = tmp.string() + ".out", err = tmp.string() + ".err";

    std::vector<std::string> argv_s{gdx::testing::gdx_binary()};
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
    if (while_running) while_running(pid);
    int status = 0;
    waitpid(pid, &status, 0);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = gdx::test::file_text(out);
    r.err = gdx::test::file_text(err);
    fs::remove(out);
    fs::remove(err);
    return r;
}

WhileRunning interrupt_when(std::function<bool()> ready) {
    return [ready = std::move(ready)](pid_t pid) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!ready() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ::kill(pid, SIGINT);
    };
}

std::string backend_name(Backend b) {
    return b == Backend::Embedded ? "Embedded" : b == Backend::S3Only ? "S3Only" : "S3Postgres";
}

namespace {

// The PostgreSQL server of this test binary: GDX_TEST_PG_URL (scripts/test.sh starts one), or a
// throw-away cluster started on first use, stopped and deleted at exit (and stopped by the
// script's watcher if this process dies without exiting; its directory is then kept).
const std::string& postgres_admin_url() {
    static std::string url;
    static std::string cluster_dir;
    static bool started = [] {
        if (const char* env = std::getenv("GDX_TEST_PG_URL"); env && *env) {
            url = env;
            return true;
        }
        cluster_dir = gdx::testing::make_temp_dir("it-pg");
        url =
            gdx::testing::run_command(gdx::testing::source_dir() + "/scripts/pg-cluster.sh start " +
                                      cluster_dir + " " + std::to_string(::getpid()));
        while (!url.empty() && (url.back() == '\n' || url.back() == ' ')) url.pop_back();
        std::atexit([] {
            std::system((gdx::testing::source_dir() + "/scripts/pg-cluster.sh stop " + cluster_dir +
                         " >/dev/null 2>&1")
                            .c_str());
            std::error_code ec;
            std::filesystem::remove_all(cluster_dir, ec);
        });
        return true;
    }();
    (void)started;
    return url;
}

// postgresql://user@host:port/db -> the same server, database `db`.
std::string with_database(const std::string& url, const std::string& db) {
    auto slash = url.find('/', url.find("://") + 3);
    auto query = url.find('?', slash);
    return url.substr(0, slash) + "/" + db + (query == std::string::npos ? "" : url.substr(query));
}

// Unique across the suite run, not only within this process: databases and buckets outlive
// their test, one PostgreSQL serves both builds' suites, and pids wrap (pid_max is often
// 32768) while thousands of processes start. So the pid is not enough; a random tag is added.
std::string next_id() {
    static int n = 0;
    static const std::string tag = [] {
        std::random_device rd;
        return fmt::format("{:08x}", rd());
    }();
    return std::to_string(getpid()) + "-" + std::to_string(n++) + "-" + tag;
}

}  // namespace

Workspace::Workspace(Backend backend, const std::string& pg_admin_url) : backend_(backend) {
    auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "ws";
    for (auto& c : name)
        if (c == '/') c = '_';
    dir_ = fs::temp_directory_path() / ("gdx-it-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "store");
    base_time_ = fs::file_time_type::clock::now();
    const std::string id = next_id();

    if (backend_ == Backend::Embedded) {
        bucket_ = "test-bucket";
        warehouse_uri_ = "sqlite:" + (dir_ / "gdx.db").string();
        store_ = store::open_store("file:" + (dir_ / "store").string());
        return;
    }
    // A bucket and a database of its own, so that tests never see each other's objects or rows.
    const auto& moto = gdx::testing::moto_server();
    env_ = {{"AWS_ENDPOINT_URL", moto.url()},
            {"AWS_ACCESS_KEY_ID", gdx::testing::kS3AccessKey},
            {"AWS_SECRET_ACCESS_KEY", gdx::testing::kS3SecretKey},
            {"AWS_REGION", "us-east-1"},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"GDX_RETRY_BASE_MS", "5"}};
    store::s3::S3Config cfg;
    cfg.endpoint = moto.url();
    cfg.region = "us-east-1";
    cfg.credentials = store::s3::AwsCredentials{
        gdx::testing::kS3AccessKey, gdx::testing::kS3SecretKey, "", std::nullopt, "test"};
    bucket_ = "gdx-it-" + id;
    store::s3::S3Client(cfg).perform({"CreateBucket", "PUT", bucket_, "", "", {}, {}});
    store_ = std::make_unique<store::S3Store>(cfg);
    if (backend_ == Backend::S3Only) return;

    const std::string& admin = pg_admin_url.empty() ? postgres_admin_url() : pg_admin_url;
    std::string db = "gdx_it_" + id;
    std::replace(db.begin(), db.end(), '-', '_');
    auto r = run_gdx({"sql", "-c", "CREATE DATABASE " + db, "--warehouse", admin, "--log-dir",
                      (dir_ / "logs").string()});
    if (r.exit_code != 0) throw std::runtime_error("CREATE DATABASE failed: " + r.err);
    warehouse_uri_ = with_database(admin, db);
}

Workspace::~Workspace() {
    if (!::testing::Test::HasFailure()) fs::remove_all(dir_);
}

std::string Workspace::store_uri() const {
    return backend_ == Backend::Embedded ? "file:" + (dir_ / "store").string() : "s3://";
}

void Workspace::put(const std::string& bucket, const std::string& key, const std::string& bytes,
                    std::chrono::seconds age) {
    if (backend_ == Backend::Embedded) {
        store_->put_bytes(bucket, key, bytes);
        fs::last_write_time(dir_ / "store" / bucket / key, base_time_ - age);
        return;
    }
    // S3 stamps last-modified itself, in whole seconds. Objects must be put from oldest to
    // newest: a younger one (and the first one) is put just after a second starts, so that
    // equal ages that follow land in the same second (a tie) and younger ones in a later one.
    if (last_age_ && age > *last_age_)
        ADD_FAILURE() << "on S3 put objects from oldest to newest (" << key
                      << " is older than the previous put)";
    if (!last_age_ || age < *last_age_) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count() %
                  1000;
        std::this_thread::sleep_for(std::chrono::milliseconds(1000 - ms + 20));
    }
    last_age_ = age;
    store_->put_bytes(bucket, key, bytes);
}

bool Workspace::exists(const std::string& bucket, const std::string& key) const {
    return store_->head(bucket, key).has_value();
}

void Workspace::remove(const std::string& bucket, const std::string& key) const {
    store_->remove(bucket, key);
}

std::string Workspace::read(const std::string& bucket, const std::string& key) const {
    return store_->get_bytes(bucket, key);
}

fs::path Workspace::write_file(const std::string& name, const std::string& text) const {
    fs::path p = dir_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
}

RunResult Workspace::run_job(const std::string& job, const fs::path& config,
                             const std::vector<std::string>& extra,
                             const std::map<std::string, std::string>& env,
                             const WhileRunning& while_running) const {
    std::vector<std::string> args{job,         config.string(),         "--store",
                                  store_uri(), "--warehouse",           warehouse_uri(),
                                  "--log-dir", (dir_ / "logs").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    auto merged = env_;
    for (auto& [k, v] : env) merged[k] = v;
    return run_gdx(args, merged, dir_, while_running);
}

RunResult Workspace::sql(const std::string& sql) const {
    auto r = run_gdx(
        {"sql", "-c", sql, "--warehouse", warehouse_uri(), "--log-dir", (dir_ / "logs").string()},
        env_);
    EXPECT_EQ(r.exit_code, 0) << "gdx sql failed: " << sql << "\n" << r.err;
    return r;
}

std::vector<nlohmann::json> Workspace::query(const std::string& sql) const {
    auto r = run_gdx({"sql", "--json", "-c", sql, "--warehouse", warehouse_uri(), "--log-dir",
                      (dir_ / "logs").string()},
                     env_);
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
