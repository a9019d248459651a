// `gdx sql -f FILE`: a failing statement is reported as FILE:LINE (the line its statement
// begins on), with the statement quoted at most ~200 bytes, on both warehouses.
#include <gtest/gtest.h>

#include <string>

#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;
using gdx::test::run_gdx;
using gdx::test::RunResult;
using gdx::test::Workspace;

namespace {

class SqlScript : public ::testing::TestWithParam<Backend> {
protected:
    RunResult run_file(const std::string& name, const std::string& text) {
        const auto path = ws.write_file(name, text);
        return run_gdx({"sql", "-f", path.string(), "--warehouse", ws.warehouse_uri(), "--log-dir",
                        (ws.dir() / "logs").string()},
                       ws.env());
    }
    Workspace ws{GetParam()};
};
INSTANTIATE_TEST_SUITE_P(Backends, SqlScript,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(SqlScript, AFailingStatementIsNamedByFileAndLine) {
    const std::string script =
        "CREATE SCHEMA s;\n"
        "CREATE TABLE s.t (a INTEGER);  -- line 2\n"
        "\n"
        "/* a comment\n"
        "   over two lines */\n"
        "INSERT INTO s.t VALUES (1);\n"
        "\n"
        "SELECT a\n"
        "  FROM s.no_such_table;\n"
        "INSERT INTO s.t VALUES (2);\n";
    auto r = run_file("script.sql", script);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    const std::string where = (ws.dir() / "script.sql").string() + ":8: ";
    EXPECT_EQ(r.err.rfind("gdx: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(where), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no_such_table"), std::string::npos) << r.err;
    // The statements before it ran; the one after did not.
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM s.t")[0]["c"], 1);
}

TEST_P(SqlScript, AHugeStatementIsQuotedShort) {
    std::string create = "SELECT 1;\nCREATE TABLE wide (";
    for (int i = 0; i < 10000; ++i) create += "c" + std::to_string(i) + " INTEGER, ";
    create += "broken NOSUCHTYPE oops);\n";
    ASSERT_GT(create.size(), 140000u);
    auto r = run_file("wide.sql", create);
    EXPECT_EQ(r.exit_code, 1) << r.err.substr(0, 2000);
    EXPECT_NE(r.err.find("wide.sql:2: "), std::string::npos) << r.err.substr(0, 2000);
    EXPECT_LT(r.err.size(), 1200u) << r.err.substr(0, 2000);
}

TEST_P(SqlScript, TheLineCountsNewlinesInsideLiteralsAndComments) {
    const std::string script =
        "SELECT 'a;\nb';\n"                 // lines 1-2: a literal holding ; and a newline
        "SELECT 1 /* ;\n */;\n"             // lines 3-4: a comment holding one
        "SELECT 2 -- ; not a split\n"       // line 5
        "; SELECT nonsense_function();\n";  // line 6
    auto r = run_file("q.sql", script);
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("q.sql:6: "), std::string::npos) << r.err;
}

}  // namespace
