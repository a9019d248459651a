// What a run tells its user besides the report: the one-line selection summary
// on stderr (also when nothing is selected, when no report is printed), a
// missing store or bucket as a config error naming it, the dry run of a config
// whose table is missing, and the report's wording and JSON details.
#include <gtest/gtest.h>

#include <fstream>

#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;
using gdx::test::base_config;
using gdx::test::RunResult;
using gdx::test::Workspace;
using nlohmann::json;

namespace {

class RunMessages : public ::testing::TestWithParam<Backend> {
protected:
    RunMessages() : ws(GetParam()) {
        ws.sql("CREATE SCHEMA IF NOT EXISTS m");
        ws.sql("CREATE TABLE m.calls (id VARCHAR(10), n INTEGER)");
        cfg = base_config("m.calls", {"id", "n"});
        cfg["bucket"] = ws.bucket();
        cfg["doc"] = "calls-.*\\.csv";
        cfg["dtype_dic_ints"] = {"n"};
    }
    RunResult run(const std::vector<std::string>& extra = {}) {
        return ws.run_job("s3-to-redshift", ws.write_file("config.json", cfg.dump(2)), extra);
    }
    bool has(const std::string& text, const std::string& part) {
        return text.find(part) != std::string::npos;
    }

    Workspace ws;
    nlohmann::ordered_json cfg;
};
INSTANTIATE_TEST_SUITE_P(Backends, RunMessages,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(RunMessages, EveryRunPrintsOneSummaryLineAndOnlyASelectingRunAReport) {
    ws.put(ws.bucket(), "client/dir/calls-1.csv", "id|n\na|1\n");
    ws.put(ws.bucket(), "client/dir/calls-2.csv", "id|n\nb|x\n");
    ws.put(ws.bucket(), "client/dir/other.csv", "id|n\nc|3\n");
    auto first = run({"--keep-going"});
    EXPECT_EQ(first.exit_code, 1) << first.err;
    EXPECT_TRUE(has(first.err,
                    "gdx: 2 new objects under client/dir/ matching calls-.*\\.csv (0 already "
                    "processed, 0 in bad)\n"))
        << first.err;
    EXPECT_TRUE(has(first.out, "Objects to process: 2")) << first.out;

    auto again = run();
    EXPECT_EQ(again.exit_code, 0) << again.err;
    EXPECT_EQ(again.out, "");  // nothing selected: no report, as the original
    EXPECT_TRUE(has(again.err,
                    "gdx: 0 new objects under client/dir/ matching calls-.*\\.csv (1 already "
                    "processed, 1 in bad)\n"))
        << again.err;

    // The dry run tells a bad object from a loaded one and names its sidecar.
    auto plan = run({"--dry-run"});
    EXPECT_EQ(plan.exit_code, 0) << plan.err;
    EXPECT_TRUE(has(plan.out, "  skip (processed): client/dir/calls-1.csv\n")) << plan.out;
    EXPECT_TRUE(has(plan.out,
                    "  skip (bad, see processed/bad/client/dir/calls-2.csv.error.json): "
                    "client/dir/calls-2.csv\n"))
        << plan.out;
}

TEST_P(RunMessages, TheTextReportNamesTheWarehouseItLoaded) {
    ws.put(ws.bucket(), "client/dir/calls-1.csv", "id|n\na|1\n");
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string scheme = GetParam() == Backend::Embedded ? "sqlite" : "postgresql";
    EXPECT_TRUE(has(r.out, "Objects loaded to the warehouse (" + scheme + "): 1\n")) << r.out;
    EXPECT_TRUE(has(r.out, "and copied to the warehouse (" + scheme + "):\n1: client/dir/calls-1"))
        << r.out;
    EXPECT_FALSE(has(r.out, "Redshift")) << r.out;
}

TEST_P(RunMessages, TheJsonReportListsTablesAndWhereEachBadObjectFailed) {
    ws.put(ws.bucket(), "client/dir/calls-1.csv", "id|n\na|1\n");
    ws.put(ws.bucket(), "client/dir/calls-2.csv", "id|n\nb|2\nc|x\n");
    const auto report = ws.dir() / "report.json";
    auto r = run({"--keep-going", "--report-json", report.string()});
    ASSERT_EQ(r.exit_code, 1) << r.err;
    std::ifstream in(report);
    const json j = json::parse(in);
    EXPECT_EQ(j["tables"], json::array({"m.calls"}));
    ASSERT_EQ(j["bad_objects"].size(), 1u) << j.dump(2);
    const json& bad = j["bad_objects"][0];
    EXPECT_EQ(bad["key"], "client/dir/calls-2.csv");
    EXPECT_EQ(bad["line"], 3);
    EXPECT_EQ(bad["column"], 2);
    EXPECT_EQ(bad["sidecar"], "processed/bad/client/dir/calls-2.csv.error.json");
    EXPECT_TRUE(has(bad["error"].get<std::string>(), "integer")) << bad.dump();
    EXPECT_TRUE(ws.exists(ws.bucket(), bad["sidecar"]));
}

TEST_P(RunMessages, AMissingBucketIsAConfigErrorNamingIt) {
    cfg["bucket"] = "no-such-bucket-here";
    auto r = run();
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(has(r.err, "bucket no-such-bucket-here does not exist")) << r.err;
    EXPECT_EQ(r.out, "");
}

TEST_P(RunMessages, ADryRunOnAMissingTableShowsTheSelectionThenStops) {
    ws.put(ws.bucket(), "client/dir/calls-1.csv", "id|n\na|1\n");
    cfg["dbtable"] = "m.absent";
    auto r = run({"--dry-run"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(has(r.out, "load: client/dir/calls-1.csv")) << r.out;
    EXPECT_TRUE(has(r.err, "table m.absent does not exist")) << r.err;
    EXPECT_FALSE(ws.exists(ws.bucket(), "processed/good/client/dir/calls-1.csv"));
}

TEST(RunMessagesEmbedded, AMissingStoreDirectoryIsAConfigErrorNamingIt) {
    Workspace ws;
    ws.sql("CREATE TABLE calls (id VARCHAR(10))");
    const auto config = ws.write_file("c.json", base_config("calls", {"id"}).dump());
    const auto missing = ws.dir() / "no-such-store";
    auto r = gdx::test::run_gdx({"s3-to-redshift", config.string(), "--store",
                                 "file:" + missing.string(), "--warehouse", ws.warehouse_uri(),
                                 "--log-dir", (ws.dir() / "logs").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("store directory " + missing.string() + " does not exist"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(missing));
}

// A key whose last part is near ext4's 255-byte name limit loads: the store's
// temp files are named without the key.
TEST(RunMessagesEmbedded, AKeyNearTheFileNameLimitLoads) {
    Workspace ws;
    ws.sql("CREATE TABLE calls (id VARCHAR(10))");
    auto cfg = base_config("calls", {"id"});
    cfg["bucket"] = ws.bucket();
    cfg["doc"] = "calls-.*\\.csv";
    const std::string key = "client/dir/calls-" + std::string(230, 'x') + ".csv";
    ws.put(ws.bucket(), key, "id\na\n");
    auto r = ws.run_job("s3-to-redshift", ws.write_file("c.json", cfg.dump()), {});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(ws.exists(ws.bucket(), "processed/good/" + key));
    EXPECT_EQ(ws.query("SELECT id FROM calls").size(), 1u);
}

}  // namespace
