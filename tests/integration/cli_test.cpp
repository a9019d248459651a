// The command line itself: help, usage errors, and backends chosen by environment variables.
#include <gtest/gtest.h>

#include "harness.hpp"

using gdx::test::base_config;
using gdx::test::run_gdx;
using gdx::test::Workspace;

TEST(Cli, HelpExplainsEveryOptionAndExitsZero) {
    auto r = run_gdx({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* word : {"s3-to-redshift", "cmslite-metadata", "sql", "Exit codes"})
        EXPECT_NE(r.out.find(word), std::string::npos) << word;
    r = run_gdx({"s3-to-redshift", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* opt : {"--store", "--warehouse", "--log-dir", "--dry-run", "--keep-going",
                            "--report-json", "GDX_STORE", "GDX_WAREHOUSE"})
        EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
}

TEST(Cli, UsageErrorsExitTwo) {
    EXPECT_EQ(run_gdx({}).exit_code, 2);
    EXPECT_EQ(run_gdx({"no-such-job"}).exit_code, 2);
    EXPECT_EQ(run_gdx({"s3-to-redshift"}).exit_code, 2);
    EXPECT_EQ(run_gdx({"sql"}).exit_code, 2);
    auto r = run_gdx({"s3-to-redshift", "/nonexistent/config.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("/nonexistent/config.json"), std::string::npos) << r.err;
}

TEST(Cli, BackendsComeFromTheEnvironment) {
    Workspace ws;
    ws.sql("CREATE TABLE t.env (id INTEGER)");
    auto cfg = base_config("t.env", {"id"});
    ws.put(ws.bucket(), "client/dir/a.csv", "id\n1\n2\n");
    auto config = ws.write_file("config.json", cfg.dump());
    auto r =
        run_gdx({"s3-to-redshift", config.string(), "--log-dir", (ws.dir() / "logs").string()},
                {{"GDX_STORE", ws.store_uri()}, {"GDX_WAREHOUSE", ws.warehouse_uri()}}, ws.dir());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM t.env")[0]["c"], 2);
    EXPECT_TRUE(ws.exists(ws.bucket(), "processed/good/client/dir/a.csv"));
}
