// End-to-end: the gdx binary on a directory store and a SQLite warehouse.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;
using gdx::test::base_config;
using gdx::test::RunResult;
using gdx::test::Workspace;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Shared set-up of the end-to-end tests; every test runs on each backend.
class LoaderTest {
protected:
    explicit LoaderTest(Backend backend) : ws(backend), kBucket(ws.bucket()) {
        ws.sql("CREATE SCHEMA IF NOT EXISTS t");
        ws.sql(
            "CREATE TABLE t.calls (id VARCHAR(10) NOT NULL, name VARCHAR(20), n INTEGER, "
            "day TIMESTAMP NOT NULL, flag BOOLEAN, amount DOUBLE PRECISION)");
        cfg = base_config("t.calls", {"id", "name", "n", "day", "flag", "amount"});
        cfg["dtype_dic_ints"] = {"n"};
        cfg["dateformat"] = json::array({{{"field", "day"}, {"format", "%Y%m%d"}}});
        cfg["bucket"] = kBucket;
    }
    std::filesystem::path config() { return ws.write_file("config.json", cfg.dump(2)); }
    RunResult run(const std::vector<std::string>& extra = {},
                  const std::map<std::string, std::string>& env = {}) {
        return ws.run_job("s3-to-redshift", config(), extra, env);
    }
    json sidecar(const std::string& key) {
        return json::parse(ws.read(kBucket, "processed/bad/" + key + ".error.json"));
    }
    size_t count() { return ws.query("SELECT count(*) AS c FROM t.calls")[0]["c"].get<size_t>(); }

    Workspace ws;
    const std::string kBucket;
    nlohmann::ordered_json cfg;
};

class S3ToRedshift : public ::testing::TestWithParam<Backend>, public LoaderTest {
public:
    S3ToRedshift() : LoaderTest(GetParam()) {}
};
INSTANTIATE_TEST_SUITE_P(Backends, S3ToRedshift,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return backend_name(info.param); });

const std::string kLoaderHeader = "id|name|n|day|flag|amount\n";

TEST_P(S3ToRedshift, LoadsRowsAndCopiesOriginalToGood) {
    ws.put(kBucket, "client/dir/a.csv",
           kLoaderHeader + "1|Ann|007|20240105|True|1.5\n2||NA|20240106|False|\n", 20s);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string scheme = GetParam() == Backend::Embedded ? "sqlite" : "postgresql";
    EXPECT_NE(r.out.find("Objects loaded to the warehouse (" + scheme + "): 1"), std::string::npos)
        << r.out;
    auto rows = ws.query("SELECT id, name, n, day, flag, amount FROM t.calls ORDER BY id");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0]["n"], 7);
    EXPECT_EQ(rows[0]["day"], "2024-01-05 00:00:00");
    EXPECT_EQ(rows[0]["flag"], 1);
    EXPECT_EQ(rows[0]["amount"], 1.5);
    EXPECT_EQ(rows[1]["name"], "");       // missing text loads as ''
    EXPECT_TRUE(rows[1]["n"].is_null());  // missing non-text loads as NULL
    EXPECT_TRUE(rows[1]["amount"].is_null());
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/a.csv"));
    EXPECT_TRUE(ws.exists(kBucket, "processed/batch/client/dir/a.csv"));
    EXPECT_TRUE(ws.exists(kBucket, "client/dir/a.csv"));  // sources are never touched
}

TEST_P(S3ToRedshift, StringsRoundTripByteIdentical) {
    ws.sql("CREATE TABLE t.texts (id INTEGER, s VARCHAR(100))");
    cfg = base_config("t.texts", {"id", "s"});
    cfg["bucket"] = kBucket;
    cfg["delim"] = ",";
    cfg["keep_default_na"] = false;  // so that "NULL"-like strings stay strings
    const std::vector<std::string> values = {
        "a|b", "back\\slash", "say \"hi\"", "line\nbreak", "cr\rhere", "tab\there", "\\N",
        "-",   "  spaced  ",  "emoji 🎉 é",  "NULL",        "\\",       "|",         "\\|\\n"};
    std::string body = "id,s\n";
    for (size_t i = 0; i < values.size(); ++i) {
        std::string quoted = "\"";
        for (char c : values[i]) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        body += std::to_string(i) + "," + quoted + "\"\n";
    }
    body += std::to_string(values.size()) + ",\n";  // empty -> ''
    ws.put(kBucket, "client/dir/texts.csv", body);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = ws.query("SELECT id, s FROM t.texts ORDER BY id");
    ASSERT_EQ(rows.size(), values.size() + 1);
    for (size_t i = 0; i < values.size(); ++i) EXPECT_EQ(rows[i]["s"], values[i]) << "row " << i;
    EXPECT_EQ(rows[values.size()]["s"], "");
}

TEST_P(S3ToRedshift, SecondRunLoadsNothing) {
    ws.put(kBucket, "client/dir/a.csv", kLoaderHeader + "1|Ann|1|20240105|True|1\n");
    ASSERT_EQ(run().exit_code, 0);
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "");  // nothing selected: no report, as the original
    EXPECT_EQ(count(), 1u);
}

TEST_P(S3ToRedshift, CrashAfterCommitIsRepairedWithoutDuplicates) {
    ws.put(kBucket, "client/dir/a.csv",
           kLoaderHeader + "1|Ann|1|20240105|True|1\n2|Bob|2|20240105|True|1\n");
    auto crashed = run({}, {{"GDX_TEST_CRASH_AT", "after_commit"}});
    EXPECT_NE(crashed.exit_code, 0);
    EXPECT_EQ(count(), 2u);
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/dir/a.csv"));
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(), 2u);
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/a.csv"));
    EXPECT_NE(r.out.find("repaired"), std::string::npos) << r.out;
}

// On the directory store the copy to good is prepared beside the load (a synced temp file).
// Killed after the copy to bad, no later run touches the object again, so that temp file must
// have been removed before the bad copy was written: nothing else would sweep it.
class S3ToRedshiftEmbedded : public ::testing::Test, public LoaderTest {
public:
    S3ToRedshiftEmbedded() : LoaderTest(Backend::Embedded) {}
};

TEST_F(S3ToRedshiftEmbedded, CrashAfterTheBadCopyLeavesNoTempFileInGood) {
    ws.put(kBucket, "client/dir/a.csv", kLoaderHeader + "1|Ann|not-a-number|20240105|True|1\n");
    auto crashed = run({}, {{"GDX_TEST_CRASH_AT", "after_bad_copy"}});
    EXPECT_NE(crashed.exit_code, 0);
    EXPECT_TRUE(ws.exists(kBucket, "processed/bad/client/dir/a.csv"));
    auto r = run();
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const auto good = ws.dir() / "store" / kBucket / "processed/good/client/dir";
    std::vector<std::string> left;
    if (std::filesystem::exists(good))
        for (const auto& e : std::filesystem::directory_iterator(good))
            left.push_back(e.path().filename().string());
    EXPECT_TRUE(left.empty()) << left.front();
}

TEST_P(S3ToRedshift, ConcurrentRunsLoadEachObjectOnce) {
    for (int i = 0; i < 6; ++i) {
        std::string rows;
        for (int j = 0; j < 2000; ++j)
            rows += std::to_string(i * 10000 + j) + "|x|1|20240105|True|1\n";
        ws.put(kBucket, "client/dir/f" + std::to_string(i) + ".csv", kLoaderHeader + rows,
               std::chrono::seconds(60 - i));
    }
    auto p = config();
    auto a = std::async(std::launch::async, [&] { return ws.run_job("s3-to-redshift", p); });
    auto b = std::async(std::launch::async, [&] { return ws.run_job("s3-to-redshift", p); });
    auto ra = a.get(), rb = b.get();
    EXPECT_EQ(ra.exit_code, 0) << ra.err;
    EXPECT_EQ(rb.exit_code, 0) << rb.err;
    EXPECT_EQ(count(), 12000u);
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM gdx_ledger")[0]["c"], 6);
    for (int i = 0; i < 6; ++i)
        EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/f" + std::to_string(i) + ".csv"));
}

struct BadCase {
    const char* name;
    std::string body;
    const char* stage;
    uint64_t line;
    const char* column_name;
    const char* value;
};

class BadObjects : public ::testing::TestWithParam<std::tuple<Backend, BadCase>>,
                   public LoaderTest {
public:
    BadObjects() : LoaderTest(std::get<0>(GetParam())) {}
};

TEST_P(BadObjects, GoToBadWithSidecarAndStopTheRun) {
    const BadCase& c = std::get<1>(GetParam());
    ws.put(kBucket, "client/dir/1-good.csv", kLoaderHeader + "1|Ann|1|20240105|True|1\n", 30s);
    ws.put(kBucket, "client/dir/2-bad.csv", c.body, 20s);
    ws.put(kBucket, "client/dir/3-later.csv", kLoaderHeader + "3|Cy|3|20240105|True|1\n", 10s);
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/1-good.csv"));
    ASSERT_TRUE(ws.exists(kBucket, "processed/bad/client/dir/2-bad.csv"));
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/dir/3-later.csv"));  // stays pending
    EXPECT_FALSE(ws.exists(kBucket, "processed/bad/client/dir/3-later.csv"));
    auto s = sidecar("client/dir/2-bad.csv");
    EXPECT_EQ(s["stage"], c.stage) << s.dump(2);
    if (c.line) {
        EXPECT_EQ(s["line"], c.line) << s.dump(2);
    }
    if (c.column_name) {
        EXPECT_EQ(s["column_name"], c.column_name) << s.dump(2);
    }
    if (c.value) {
        EXPECT_EQ(s["value"], c.value) << s.dump(2);
    }
    EXPECT_EQ(count(), 1u);  // nothing of the bad object was loaded
    EXPECT_NE(r.out.find("List of objects that failed to process:\n1: client/dir/2-bad.csv"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("List of objects that were not processed due to early exit:\n1: "
                         "client/dir/3-later.csv"),
              std::string::npos)
        << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    FailurePaths, BadObjects,
    ::testing::Combine(
        ::testing::Values(Backend::Embedded, Backend::S3Postgres),
        ::testing::Values(
            BadCase{"ZeroBytes", "", "empty", 0, nullptr, nullptr},
            BadCase{"Undecodable", kLoaderHeader + "1|A\xff|1|20240105|True|1\n", "decode", 2,
                    nullptr, nullptr},
            BadCase{"OnlyBlankLines", "\n\n\n", "empty", 0, nullptr, nullptr},
            BadCase{"HeaderOnly", kLoaderHeader, "empty", 0, nullptr, nullptr},
            BadCase{"UnterminatedQuote", kLoaderHeader + "1|\"Ann|1|20240105|True|1\n", "parse", 2,
                    nullptr, nullptr},
            BadCase{"TooFewHeaderFields", "id|name\n1|x\n", "parse", 1, nullptr, nullptr},
            BadCase{"IntWithFraction",
                    kLoaderHeader + "1|Ann|1|20240105|True|1\n2|Bo|1.5|20240105|True|1\n",
                    "transform", 3, "n", "1.5"},
            BadCase{"IntText", kLoaderHeader + "1|Ann|abc|20240105|True|1\n", "transform", 2, "n",
                    "abc"},
            BadCase{"BadDate", kLoaderHeader + "1|Ann|1|20241301|True|1\n", "transform", 2, "day",
                    "20241301"},
            BadCase{"VarcharTooLong", kLoaderHeader + "1|abcdefghijklmnopqrstu|1|20240105|True|1\n",
                    "transform", 2, "name", "abcdefghijklmnopqrstu"},
            BadCase{"MultibyteTooLong", kLoaderHeader + "1|ééééééééééé|1|20240105|True|1\n",
                    "transform", 2, "name", "ééééééééééé"},
            BadCase{"BadBoolean", kLoaderHeader + "1|Ann|1|20240105|maybe|1\n", "transform", 2,
                    "flag", "maybe"},
            BadCase{"BadDouble", kLoaderHeader + "1|Ann|1|20240105|True|1,5\n", "transform", 2,
                    "amount", "1,5"},
            BadCase{"NullInNotNull", kLoaderHeader + "1|Ann|1||True|1\n", "transform", 2, "day",
                    nullptr})),
    [](const auto& info) {
        return backend_name(std::get<0>(info.param)) + "_" + std::get<1>(info.param).name;
    });

// A row the transform passes but the warehouse rejects (here a CHECK) is reported at its line
// in the source object, after a quoted field over three lines and two blank lines, with the
// batch line beside it.
TEST_P(S3ToRedshift, ALoadRejectionNamesTheSourceObjectsLine) {
    ws.sql("CREATE TABLE t.checked (id VARCHAR(10), note VARCHAR(40), n INTEGER CHECK (n > 0))");
    cfg = base_config("t.checked", {"id", "note", "n"});
    cfg["dtype_dic_ints"] = {"n"};
    cfg["bucket"] = kBucket;
    ws.put(kBucket, "client/dir/a.csv", "id|note|n\n1|\"a\nb\nc\"|1\n\n\n2|x|5\n3|y|-1\n4|z|2\n");
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    auto s = sidecar("client/dir/a.csv");
    EXPECT_EQ(s["stage"], "load") << s.dump(2);
    EXPECT_EQ(s["line"], 8) << s.dump(2);        // source: header, 2-4, blank 5-6, 7, 8
    EXPECT_EQ(s["batch_line"], 6) << s.dump(2);  // batch: header, 2-4 (escaped LFs), 5, 6
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM t.checked")[0]["c"].get<size_t>(), 0u);
    EXPECT_NE((r.out + r.err).find("rejected the load: "), std::string::npos) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("(line 8)"), std::string::npos) << r.out << r.err;
}

TEST_P(S3ToRedshift, KeepGoingContinuesAfterABadObject) {
    ws.put(kBucket, "client/dir/1.csv", kLoaderHeader + "1|Ann|x|20240105|True|1\n", 20s);
    ws.put(kBucket, "client/dir/2.csv", kLoaderHeader + "2|Bob|2|20240105|True|1\n", 10s);
    auto r = run({"--keep-going"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(ws.exists(kBucket, "processed/bad/client/dir/1.csv"));
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/2.csv"));
    EXPECT_EQ(count(), 1u);
}

TEST_P(S3ToRedshift, SelectionHonoursDocArchiveOrderAndLimit) {
    ws.put(kBucket, "client/dir/archive/d.csv", kLoaderHeader + "4|d|4|20240105|True|1\n", 60s);
    ws.put(kBucket, "client/dir/e.txt", kLoaderHeader + "5|e|5|20240105|True|1\n", 60s);
    ws.put(kBucket, "client/dir/f.csv.bak", kLoaderHeader + "6|f|6|20240105|True|1\n", 60s);
    ws.put(kBucket, "client/dir/b.csv", kLoaderHeader + "2|b|2|20240105|True|1\n", 50s);
    ws.put(kBucket, "client/dir/a.csv", kLoaderHeader + "1|a|1|20240105|True|1\n",
           50s);  // tie: key order
    ws.put(kBucket, "client/dir/c.csv", kLoaderHeader + "3|c|3|20240105|True|1\n", 10s);
    cfg["file_limit"] = 2;
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1: client/dir/a.csv\n2: client/dir/b.csv\n"), std::string::npos) << r.out;
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/dir/c.csv"));
    r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/c.csv"));
    EXPECT_EQ(count(), 3u);
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/dir/archive/d.csv"));
}

TEST_P(S3ToRedshift, TruncateLoadsOnlyTheNewestAndNothingWhenItIsProcessed) {
    cfg["truncate"] = true;
    ws.put(kBucket, "client/dir/old.csv", kLoaderHeader + "1|old|1|20240105|True|1\n", 50s);
    ws.put(kBucket, "client/dir/new.csv",
           kLoaderHeader + "2|new|2|20240105|True|1\n3|new|3|20240105|True|1\n", 10s);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(), 2u);
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/new.csv"));
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/dir/old.csv"));
    // The newest is processed: an older unprocessed object must not replace the table.
    r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(), 2u);
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/dir/old.csv"));
}

// The batch reaches the load through a spool (GDX_SPOOL_MB, in TMPDIR) while it is written; a
// batch far larger than the spool, the in-memory fallback and an unusable TMPDIR all load every
// row; a malformed GDX_SPOOL_MB stops the run before anything is touched.
TEST_P(S3ToRedshift, BatchesLargerThanTheSpoolLoadCompletely) {
    std::string body = kLoaderHeader;
    const size_t rows = 60000;  // ~2.5 MB of batch: more than a 1 MiB spool
    for (size_t i = 0; i < rows; ++i)
        body += std::to_string(i) + "|name " + std::to_string(i) + "|" + std::to_string(i % 977) +
                "|20240105|True|" + std::to_string(i) + ".25\n";
    ws.put(kBucket, "client/dir/a.csv", body, 30s);

    auto bad = run({}, {{"GDX_SPOOL_MB", "lots"}});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("GDX_SPOOL_MB"), std::string::npos) << bad.err;
    EXPECT_EQ(count(), 0u);
    EXPECT_FALSE(ws.exists(kBucket, "processed/batch/client/dir/a.csv"));

    auto r = run({}, {{"GDX_SPOOL_MB", "1"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(), rows);
    ws.put(kBucket, "client/dir/b.csv", body, 20s);
    r = run({}, {{"GDX_SPOOL_MB", "0"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(), 2 * rows);
    ws.put(kBucket, "client/dir/c.csv", body, 10s);
    r = run({}, {{"TMPDIR", "/nonexistent/gdx-spool"}});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count(), 3 * rows);
    auto last = ws.query("SELECT name, amount FROM t.calls WHERE id = '59999' ORDER BY name");
    ASSERT_EQ(last.size(), 3u);
    EXPECT_EQ(last[2]["name"], "name 59999");
    EXPECT_EQ(last[2]["amount"], 59999.25);
}

TEST_P(S3ToRedshift, TruncateFailureLeavesOldTableIntact) {
    cfg["truncate"] = true;
    ws.put(kBucket, "client/dir/v1.csv",
           kLoaderHeader + "1|a|1|20240105|True|1\n2|b|2|20240105|True|1\n", 50s);
    ASSERT_EQ(run().exit_code, 0);
    ws.put(kBucket, "client/dir/a-v2.csv",
           kLoaderHeader + "3|c|3|20240105|True|1\n4|d|oops|20240105|True|1\n", 10s);
    auto r = run();
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(count(), 2u);
    EXPECT_TRUE(ws.exists(kBucket, "processed/bad/client/dir/a-v2.csv"));
}

TEST_P(S3ToRedshift, DryRunChangesNothing) {
    ws.put(kBucket, "client/dir/a.csv", kLoaderHeader + "1|Ann|1|20240105|True|1\n");
    auto r = run({"--dry-run"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("load: client/dir/a.csv"), std::string::npos) << r.out;
    EXPECT_EQ(count(), 0u);
    EXPECT_FALSE(ws.exists(kBucket, "processed/good/client/dir/a.csv"));
    EXPECT_FALSE(ws.exists(kBucket, "processed/batch/client/dir/a.csv"));
}

TEST_P(S3ToRedshift, ConfigErrorsExitTwoNamingTheKey) {
    cfg["columns"] = {"id", "name"};
    auto r = run();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("column_count"), std::string::npos) << r.err;
    cfg = base_config("t.calls", {"id", "name", "n", "day", "flag", "amount"});
    cfg["bucket"] = kBucket;
    cfg["dateformat"] = json::array({{{"field", "nope"}, {"format", "%Y"}}});
    r = run();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("nope"), std::string::npos) << r.err;
    cfg = base_config("t.calls", {"id", "name", "n", "day", "flag", "amount"});
    cfg["bucket"] = kBucket;
    cfg["replace"] =
        json::array({{{"field", "name"}, {"old", "(a)"}, {"new", "\\2"}, {"regex", true}}});
    ws.put(kBucket, "client/dir/a.csv", kLoaderHeader + "1|Ann|1|20240105|True|1\n");
    r = run();
    EXPECT_EQ(r.exit_code, 2);  // the template names a group the pattern lacks
    EXPECT_NE(r.err.find("config.json: key \"replace\" entry 1: invalid replacement template"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(ws.exists(kBucket, "processed/bad/client/dir/a.csv"));
    cfg = base_config("t.missing_table", {"id"});
    r = run();
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("t.missing_table"), std::string::npos) << r.err;
}

TEST_P(S3ToRedshift, ReportJsonIsWritten) {
    ws.put(kBucket, "client/dir/a.csv", kLoaderHeader + "1|Ann|1|20240105|True|1\n");
    auto report = ws.dir() / "report.json";
    auto r = run({"--report-json", report.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(report);
    auto j = json::parse(in);
    EXPECT_EQ(j["loaded"], 1) << j.dump(2);
}

TEST_P(S3ToRedshift, ColumnEditsApplyInTheOriginalOrder) {
    ws.sql(
        "CREATE TABLE t.edits (a VARCHAR(10), b VARCHAR(4), d VARCHAR(20), n INTEGER, k "
        "VARCHAR(5), "
        "z VARCHAR(5), y INTEGER)");
    cfg = base_config("t.edits", {"a", "b", "x", "d", "n"});
    cfg["bucket"] = kBucket;
    cfg["column_string_limit"] = {{"b", 4}};  // bytes, cut on a UTF-8 boundary
    cfg["drop_columns"] = {"x"};
    cfg["add_columns"] = {{"k", "K"}, {"z", nullptr}, {"y", nullptr}};
    cfg["replace"] = json::array(
        {{{"field", "a"}, {"old", "-"}, {"new", "dash"}},
         {{"field", "d"}, {"old", "(\\d+)/(\\d+)"}, {"new", "\\2-\\1"}, {"regex", true}}});
    cfg["dtype_dic_ints"] = {"n"};
    ws.put(kBucket, "client/dir/edits.csv",
           "A|B|X|D|N\n"
           "-|ééé|drop me|12/34|007\n"
           "x-|abcdef|y|a 1/2 b|-3.0\n"
           "q|b|c|plain|1|surplus field\n");
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = ws.query("SELECT a, b, d, n, k, z, y FROM t.edits ORDER BY n");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], json({{"a", "x-"},
                             {"b", "abcd"},
                             {"d", "a 2-1 b"},
                             {"n", -3},
                             {"k", "K"},
                             {"z", ""},
                             {"y", nullptr}}));
    EXPECT_EQ(rows[1], json({{"a", "q"},
                             {"b", "b"},
                             {"d", "plain"},
                             {"n", 1},
                             {"k", "K"},
                             {"z", ""},
                             {"y", nullptr}}));
    EXPECT_EQ(rows[2], json({{"a", "dash"},
                             {"b", "éé"},
                             {"d", "34-12"},
                             {"n", 7},
                             {"k", "K"},
                             {"z", ""},
                             {"y", nullptr}}));
    std::ifstream log(ws.dir() / "logs" / "s3-to-redshift.log");
    std::stringstream text;
    text << log.rdbuf();
    EXPECT_NE(text.str().find("differs from the configured columns"), std::string::npos)
        << text.str();
    EXPECT_NE(text.str().find("1 rows have more than 5 fields (first at line 4)"),
              std::string::npos)
        << text.str();
}

TEST_P(S3ToRedshift, NoHeaderAndCustomMissingValues) {
    ws.sql("CREATE TABLE t.plain (s VARCHAR(10), n INTEGER)");
    cfg = base_config("t.plain", {"s", "n"});
    cfg["bucket"] = kBucket;
    cfg["no_header"] = true;
    cfg["keep_default_na"] = false;
    cfg["na_values"] = {"?"};
    ws.put(kBucket, "client/dir/plain.csv", "NA|1\n?|2\nNULL|?\n");
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = ws.query("SELECT s, n FROM t.plain ORDER BY s");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], json({{"s", ""}, {"n", 2}}));    // "?" is missing: '' in text
    EXPECT_EQ(rows[1], json({{"s", "NA"}, {"n", 1}}));  // default NA tokens switched off
    EXPECT_EQ(rows[2], json({{"s", "NULL"}, {"n", nullptr}}));
}

}  // namespace
