// The command line itself: help, usage errors, and backends chosen by environment variables.
#include <gtest/gtest.h>

#include "../support/test_paths.hpp"
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

// The README's demo (scripts/demo.sh) on the shipped examples, so that it cannot rot.
TEST(Demo, ExamplesLoadAsTheReadmeShows) {
    Workspace ws;
    const std::filesystem::path examples =
        std::filesystem::path(gdx::testing::source_dir()) / "examples";
    std::filesystem::copy(examples / "data", ws.dir() / "store",
                          std::filesystem::copy_options::recursive);
    for (const char* ddl : {"demo.call_centre.sql", "demo_cms.sql"}) {
        auto r = run_gdx({"sql", "-f", (examples / "ddl" / ddl).string(), "--warehouse",
                          ws.warehouse_uri(), "--log-dir", (ws.dir() / "logs").string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    auto r = ws.run_job("s3-to-redshift", examples / "config.d" / "call_centre_demo.json");
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto calls = ws.query("SELECT id, waittime, note FROM demo.call_centre ORDER BY id");
    ASSERT_EQ(calls.size(), 5u);
    EXPECT_EQ(calls[0]["note"], "first call of the da");  // column_string_limit: 20 bytes
    EXPECT_TRUE(calls[2]["waittime"].is_null());          // NA in an INTEGER column
    EXPECT_EQ(calls[3]["waittime"], 3);                   // 3.0 cast by dtype_dic_ints
    EXPECT_EQ(calls[3]["note"], "-");
    r = ws.run_job("cmslite-metadata", examples / "config.d" / "cmslite_demo.json");
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    auto types = ws.query(
        "SELECT m.node_id, c.value AS content_type FROM demo_cms.metadata_content_types m JOIN "
        "demo_cms.content_types c ON c.id = m.id ORDER BY 1, 2");
    ASSERT_EQ(types.size(), 5u);
    EXPECT_EQ(types[0], nlohmann::json({{"node_id", "N1"}, {"content_type", "Form"}}));
    EXPECT_EQ(
        ws.query(
            "SELECT folder_name FROM demo_cms.metadata WHERE node_id = 'N1'")[0]["folder_name"],
        "site root");  // the post-load SQL ran
}

TEST(Cli, PlainGdxPrintsUsage) {
    auto r = run_gdx({});
    EXPECT_EQ(r.exit_code, 2);
    for (const char* word : {"s3-to-redshift", "cmslite-metadata", "sql", "Exit codes"})
        EXPECT_NE(r.err.find(word), std::string::npos) << word << "\n" << r.err;
}

TEST(Cli, UnknownCommandSuggestsTheNearestOne) {
    auto r = run_gdx({"s3-to-redhsift", "x.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("gdx: unknown command 's3-to-redhsift'; did you mean 's3-to-redshift'?"),
              std::string::npos)
        << r.err;
    r = run_gdx({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("gdx: unknown command 'frobnicate'\n"), std::string::npos) << r.err;
}

TEST(Cli, VersionFlags) {
    for (const char* flag : {"-V", "--version"}) {
        auto r = run_gdx({flag});
        EXPECT_EQ(r.exit_code, 0) << flag;
        EXPECT_EQ(r.out.rfind("gdx ", 0), 0u) << r.out;
        EXPECT_NE(r.out.find('.'), std::string::npos) << r.out;
    }
}

TEST(Cli, ConfigMayBeGivenWithDashC) {
    Workspace ws;
    ws.sql("CREATE TABLE t.dashc (id INTEGER)");
    ws.put(ws.bucket(), "client/dir/a.csv", "id\n1\n");
    auto config = ws.write_file("config.json", base_config("t.dashc", {"id"}).dump());
    auto r =
        run_gdx({"s3-to-redshift", "-c", config.string(), "--store", ws.store_uri(), "--warehouse",
                 ws.warehouse_uri(), "--log-dir", (ws.dir() / "logs").string(), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");  // -q: no report
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM t.dashc")[0]["c"], 1);
    EXPECT_EQ(run_gdx({"s3-to-redshift", "-c", config.string(), config.string()}).exit_code, 2);
}

TEST(Cli, WarningsGoToStderrAndStrictStopsBeforeLoading) {
    Workspace ws;
    ws.sql("CREATE TABLE t.w (id INTEGER)");
    ws.put(ws.bucket(), "client/dir/a.csv", "id\n1\n");
    auto cfg = base_config("t.w", {"id"});
    cfg["truncate"] = "false";  // a non-empty string: true in Python
    cfg["colums"] = {"id"};     // misspelt
    auto config = ws.write_file("config.json", cfg.dump());
    auto r = ws.run_job("s3-to-redshift", config, {"--strict"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("\"truncate\""), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--strict"), std::string::npos) << r.err;
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM t.w")[0]["c"], 0);
    EXPECT_FALSE(ws.exists(ws.bucket(), "processed/good/client/dir/a.csv"));

    r = ws.run_job("s3-to-redshift", config);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("gdx: warning: " + config.string() +
                         ": key \"truncate\" is the string \"false\", which counts as true"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("gdx: warning: " + config.string() + ": unknown key \"colums\""),
              std::string::npos)
        << r.err;
}

TEST(Cli, NulBytesBecomeSpacesWithOneWarningNamingTheFirstLine) {
    Workspace ws;
    ws.sql("CREATE TABLE t.n (id INTEGER, note VARCHAR(20))");
    ws.put(ws.bucket(), "client/dir/a.csv",
           std::string("id|note\n1|plain\n2|a") + '\0' + "b\n3|" + '\0' + "\n");
    auto config = ws.write_file("config.json", base_config("t.n", {"id", "note"}).dump());
    auto r = ws.run_job("s3-to-redshift", config);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("gdx: warning: client/dir/a.csv: line 3: NUL byte(s) replaced by spaces"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("NUL", r.err.find("NUL") + 1), std::string::npos) << "warned twice";
    auto rows = ws.query("SELECT id, note FROM t.n ORDER BY id");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[1]["note"], "a b");
    EXPECT_EQ(rows[2]["note"], " ");

    // --strict: the warning stops the run and nothing of the object is loaded.
    ws.put(ws.bucket(), "client/dir/b.csv", std::string("id|note\n4|x") + '\0' + "\n");
    auto strict = ws.run_job("s3-to-redshift", config, {"--strict"});
    EXPECT_EQ(strict.exit_code, 2) << strict.err;
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM t.n")[0]["c"], 3);
}

TEST(Cli, SurplusFieldsWarnOnStderr) {
    Workspace ws;
    ws.sql("CREATE TABLE t.s (id INTEGER)");
    ws.put(ws.bucket(), "client/dir/a.csv", "id\n1|extra\n");
    auto config = ws.write_file("config.json", base_config("t.s", {"id"}).dump());
    auto r = ws.run_job("s3-to-redshift", config);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("gdx: warning: client/dir/a.csv: 1 rows have more than 1 fields"),
              std::string::npos)
        << r.err;
}
