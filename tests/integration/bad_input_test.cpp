// Bad input on purpose: each case exits with the right code, says what is wrong, and touches
// nothing (no table rows, no objects moved, no database, log directory or report file made).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"

namespace fs = std::filesystem;
using gdx::test::base_config;
using gdx::test::run_gdx;
using gdx::test::Workspace;

namespace {

// A workspace with table t.x and one object that would load two rows.
struct Loadable {
    Workspace ws;
    fs::path config;
    explicit Loadable(nlohmann::ordered_json overrides = nlohmann::ordered_json::object()) {
        ws.sql("CREATE TABLE t.x (id INTEGER)");
        ws.put(ws.bucket(), "client/dir/a.csv", "id\n1\n2\n");
        auto cfg = base_config("t.x", {"id"});
        for (const auto& [k, v] : overrides.items()) cfg[k] = v;
        config = ws.write_file("config.json", cfg.dump());
    }
    int64_t rows() const { return ws.query("SELECT count(*) AS c FROM t.x")[0]["c"]; }
    bool untouched() const {
        return rows() == 0 && ws.exists(ws.bucket(), "client/dir/a.csv") &&
               !ws.exists(ws.bucket(), "processed/good/client/dir/a.csv") &&
               !ws.exists(ws.bucket(), "processed/bad/client/dir/a.csv");
    }
};

bool empty_dir(const fs::path& dir) {
    return fs::is_directory(dir) && fs::directory_iterator(dir) == fs::directory_iterator();
}

}  // namespace

TEST(BadInput, StoreUrisOtherThanFileDirAndS3AreRejected) {
    Loadable l;
    for (const char* uri :
         {"s3:/bucket", "FILE:x", "file://x", "s3://bucket/prefix", "data", "file:", "S3://"}) {
        auto r = run_gdx({"s3-to-redshift", l.config.string(), "--store", uri, "--warehouse",
                          l.ws.warehouse_uri(), "--log-dir", (l.ws.dir() / "logs").string()},
                         {}, l.ws.dir());
        EXPECT_EQ(r.exit_code, 2) << uri << "\n" << r.err;
        EXPECT_NE(r.err.find("unsupported store URI '" + std::string(uri) + "'"), std::string::npos)
            << r.err;
    }
    EXPECT_FALSE(fs::exists(l.ws.dir() / "x"));
    EXPECT_FALSE(fs::exists(l.ws.dir() / "data"));
    EXPECT_TRUE(l.untouched());
}

TEST(BadInput, UnwritableReportIsRefusedBeforeAnyWork) {
    Loadable l;
    const auto report = l.ws.dir() / "no-such-dir" / "report.json";
    auto r = l.ws.run_job("s3-to-redshift", l.config, {"--report-json", report.string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("--report-json " + report.string()), std::string::npos) << r.err;
    EXPECT_TRUE(l.untouched());
    r = l.ws.run_job("s3-to-redshift", l.config,
                     {"--report-json", (l.ws.dir()).string()});  // a directory
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(l.untouched());
}

TEST(BadInput, ReportJsonDashGoesToStdoutAlone) {
    Loadable l;
    auto r = l.ws.run_job("s3-to-redshift", l.config, {"--report-json", "-"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto report = nlohmann::json::parse(r.out);  // stdout holds only the JSON
    EXPECT_EQ(report["good"], 1) << r.out;
    EXPECT_FALSE(fs::exists(l.ws.dir() / "-"));
    EXPECT_EQ(l.rows(), 2);
}

TEST(BadInput, ConfigErrorLeavesNoDatabaseAndNoLogDirectory) {
    Workspace ws;
    auto cfg = base_config("t.x", {"id"});
    cfg.erase("doc");
    auto config = ws.write_file("config.json", cfg.dump());
    const auto cwd = ws.dir() / "cwd";
    fs::create_directories(cwd);
    // Defaults: --warehouse sqlite:gdx.db and --log-dir logs, both relative to the cwd.
    auto r = run_gdx({"s3-to-redshift", config.string(), "--store", ws.store_uri()}, {}, cwd);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("\"doc\""), std::string::npos) << r.err;
    EXPECT_TRUE(empty_dir(cwd));
    // A valid config whose table is missing: still a config error, still nothing made.
    cfg["doc"] = ".*";
    config = ws.write_file("config.json", cfg.dump());
    r = run_gdx({"s3-to-redshift", config.string(), "--store", ws.store_uri()}, {}, cwd);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("t.x does not exist"), std::string::npos) << r.err;
    EXPECT_TRUE(empty_dir(cwd));
    // A dry run makes nothing either.
    r = run_gdx({"s3-to-redshift", config.string(), "--store", ws.store_uri(), "--dry-run"}, {},
                cwd);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(empty_dir(cwd));
}

TEST(BadInput, SqlNeverCreatesDirectoriesForTheWarehouse) {
    Workspace ws;
    const auto db = ws.dir() / "no" / "such" / "x.db";
    auto r = run_gdx({"sql", "-c", "CREATE TABLE a (i INTEGER)", "--warehouse",
                      "sqlite:" + db.string(), "--log-dir", (ws.dir() / "logs").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find((ws.dir() / "no" / "such").string()), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(ws.dir() / "no"));
}

TEST(BadInput, AQueryRunsFromAReadOnlyDirectoryAndMakesNothing) {
    Workspace ws;
    const auto cwd = ws.dir() / "ro";
    fs::create_directories(cwd);
    fs::permissions(cwd, fs::perms::owner_read | fs::perms::owner_exec);
    // Default warehouse sqlite:gdx.db does not exist: a read-only query needs no file.
    auto r = run_gdx({"sql", "-c", "select 1 as one"}, {}, cwd);
    fs::permissions(cwd, fs::perms::owner_all);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "one\n1\n");
    EXPECT_TRUE(empty_dir(cwd));  // no gdx.db, no logs/
}

TEST(BadInput, SqlWritesTheDatabaseOnlyWhenAStatementWrites) {
    Workspace ws;
    const auto db = ws.dir() / "new.db";
    auto r = run_gdx({"sql", "-c", "select 1", "--warehouse", "sqlite:" + db.string(), "--log-dir",
                      (ws.dir() / "logs").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(fs::exists(db));
    r = run_gdx({"sql", "-c", "create table a (i integer); insert into a values (7)", "--warehouse",
                 "sqlite:" + db.string(), "--log-dir", (ws.dir() / "logs").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(db));
    r = run_gdx({"sql", "-c", "select i from a", "--warehouse", "sqlite:" + db.string(),
                 "--log-dir", (ws.dir() / "logs").string()});
    EXPECT_EQ(r.out, "i\n7\n") << r.err;
}

TEST(BadInput, EveryResultSetOfAScriptHasItsHeader) {
    Workspace ws;
    auto r = run_gdx({"sql", "-c", "select 1; select 2 as two", "--warehouse", ws.warehouse_uri(),
                      "--log-dir", (ws.dir() / "logs").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "1\n1\ntwo\n2\n");
}
