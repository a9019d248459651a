// End to end: `gdx redshift-to-s3` on a directory + SQLite and on S3 (moto) + PostgreSQL, with
// seeded tables: dates (unsent, min..max, a literal range, date_list), both placeholders, the
// object's bytes, the client copy, the markers, re-runs, repairs and the report.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "../fakes/s3_servers.hpp"
#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::RunResult;
using gdx::test::Workspace;
using ojson = nlohmann::ordered_json;

namespace {

// The query as the originals write them: inside UNLOAD's literal, quotes doubled, a backslash
// escape, a brace that is not the placeholder.
constexpr const char* kRangeDml =
    "SELECT * FROM (SELECT date AS \"Locations.Date\", location AS \"locations.location\", "
    "views AS \"locations.views\", ''{\"k\": 1}'' AS \"locations.tag\"\n"
    "FROM google.google_mybusiness_servicebc_derived\n"
    "WHERE client = ''\\servicebc'' AND date BETWEEN {pmrp_date_range}\n"
    "ORDER BY date, location\n)\n";

constexpr const char* kListDml =
    "SELECT * FROM (SELECT TO_CHAR(DATE_TRUNC(''second'', cfms_poc.welcome_time), "
    "''YYYY-MM-DD HH24:MI:SS'') AS \"cfms_poc.welcome_time\", cfms_poc.office_name AS "
    "\"cfms_poc.office_name\"\nFROM derived.theq_step1 AS cfms_poc\nWHERE {pmrp_qdata_dates} "
    "AND cfms_poc.office_name LIKE ''%''\nORDER BY \"cfms_poc.welcome_time\"\n)\n";

class RedshiftToS3 : public ::testing::TestWithParam<Backend> {
protected:
    RedshiftToS3() : ws(GetParam()), bucket(ws.bucket()) {
        ws.sql("CREATE SCHEMA IF NOT EXISTS google");
        ws.sql(
            "CREATE TABLE google.google_mybusiness_servicebc_derived (client VARCHAR(255), date "
            "DATE, location VARCHAR(255), views INTEGER)");
        ws.write_file("dml/range.sql", kRangeDml);
        ws.write_file("dml/list.sql", kListDml);
        cfg = {{"bucket", bucket},        {"storage", "client"},
               {"archive", "processed"},  {"directory", "pmrp/all"},
               {"object_prefix", "pmrp"}, {"dml", "range.sql"},
               {"header", true},          {"extension", ".csv"},
               {"delimiter", ","},        {"sql_parse_key", "pmrp_date_range"},
               {"start_date", "unsent"},  {"end_date", "max"}};
    }

    void seed(const std::string& values) {
        ws.sql("INSERT INTO google.google_mybusiness_servicebc_derived VALUES " + values);
    }
    RunResult run(const std::string& now, const std::vector<std::string>& extra = {},
                  std::map<std::string, std::string> env = {}) {
        env["GDX_NOW"] = now;
        env["TZ"] = "America/Vancouver";
        return ws.run_job("redshift-to-s3", ws.write_file("config.json", cfg.dump(2)), extra, env);
    }
    std::string batch(const std::string& name) { return "processed/batch/client/pmrp/all/" + name; }
    std::string good(const std::string& name) { return "processed/good/client/pmrp/all/" + name; }
    std::string client(const std::string& name) { return "client/pmrp/all/" + name + ".csv"; }

    Workspace ws;
    const std::string bucket;
    ojson cfg;
};

INSTANTIATE_TEST_SUITE_P(Backends, RedshiftToS3,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return gdx::test::backend_name(info.param); });

// The first client is the text \servicebc (a Redshift literal reads '\\' as one backslash).
const std::string kSeed =
    "('\\\\servicebc', '2024-01-30', 'Old', 1), ('servicebc', '2024-01-31', 'Old', 1), "
    "('servicebc', '2024-02-01', 'Victoria, \"BC\"', 7), ('servicebc', '2024-02-15', "
    "'Nanaimo', NULL), ('other', '2024-02-15', 'Elsewhere', 3)";

}  // namespace

TEST_P(RedshiftToS3, UnsentToMaxExportsStoresAndMarks) {
    seed(kSeed);
    ws.put(bucket, good("pmrp_20240101_20240131_20240201T060000_part000"), "old");
    RunResult r = run("2024-02-16T06:00:01");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string name = "pmrp_20240201_20240215_20240216T060001_part000";
    const std::string expected =
        "\"locations.date\",\"locations.location\",\"locations.views\",\"locations.tag\"\n"
        "\"2024-02-01\",\"Victoria, \"BC\"\",\"7\",\"{\"k\": 1}\"\n"
        "\"2024-02-15\",\"Nanaimo\",\"\",\"{\"k\": 1}\"\n";
    EXPECT_EQ(ws.read(bucket, batch(name)), expected);
    EXPECT_EQ(ws.read(bucket, client(name)), expected);
    EXPECT_EQ(ws.read(bucket, good(name)), expected);
    EXPECT_FALSE(ws.exists(bucket, "processed/bad/client/pmrp/all/" + name));
    if (GetParam() == Backend::S3Postgres) {  // SSE-S3, as UNLOAD writes its objects
        EXPECT_EQ(gdx::testing::boto(ws.env().at("AWS_ENDPOINT_URL"),
                                     "sse " + bucket + " " + batch(name)),
                  "AES256\n");
    }
    EXPECT_NE(r.out.find("***The microservice ran successfully***"), std::string::npos);
    EXPECT_NE(r.out.find("Requested Dates: 20240201 to 20240215"), std::string::npos);
    EXPECT_NE(r.out.find("Objects loaded to S3 /batch: 1/1"), std::string::npos);
    EXPECT_NE(r.out.find("1: " + client(name)), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("1: " + good(name)), std::string::npos) << r.out;

    // No newer data: start after end, exit 1, nothing new written or copied.
    r = run("2024-02-17T06:00:00");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("Start_date: 20240216 cannot be greater than end_date: 20240215."),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("Objects stored to s3 /client"), std::string::npos) << r.out;

    // A new day of data: only it is exported, the first object is not handed over again.
    seed("('servicebc', '2024-02-16', 'Sechelt', 2)");
    r = run("2024-02-17T06:00:00");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string second = "pmrp_20240216_20240216_20240217T060000_part000";
    EXPECT_EQ(ws.read(bucket, client(second)),
              "\"locations.date\",\"locations.location\",\"locations.views\",\"locations.tag\"\n"
              "\"2024-02-16\",\"Sechelt\",\"2\",\"{\"k\": 1}\"\n");
    EXPECT_NE(r.out.find("Objects to store: 1\n"), std::string::npos) << r.out;
}

TEST_P(RedshiftToS3, MinMaxAndALiteralRangeWithoutQuotesOrHeader) {
    seed(kSeed);
    cfg["start_date"] = "min";
    cfg["header"] = false;
    cfg["addquotes"] = false;
    cfg["escape"] = true;
    cfg.erase("delimiter");
    cfg.erase("extension");
    RunResult r = run("2024-02-16T06:00:01");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    const std::string first = "pmrp_20240130_20240215_20240216T060001_part000";
    EXPECT_EQ(ws.read(bucket, batch(first)),
              "2024-01-31|Old|1|{\"k\": 1}\n"
              "2024-02-01|Victoria, \"BC\"|7|{\"k\": 1}\n"
              "2024-02-15|Nanaimo||{\"k\": 1}\n");
    EXPECT_TRUE(ws.exists(bucket, "client/pmrp/all/" + first));

    cfg["start_date"] = "20240201";
    cfg["end_date"] = "20240201";
    r = run("2024-02-16T07:00:00");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(ws.read(bucket, batch("pmrp_20240201_20240201_20240216T070000_part000")),
              "2024-02-01|Victoria, \"BC\"|7|{\"k\": 1}\n");
}

TEST_P(RedshiftToS3, DateListPlaceholder) {
    ws.sql("CREATE SCHEMA IF NOT EXISTS derived");
    ws.sql("CREATE TABLE derived.theq_step1 (welcome_time TIMESTAMP, office_name VARCHAR(255))");
    ws.sql(
        "INSERT INTO derived.theq_step1 VALUES ('2021-01-01 08:30:00.4', 'Victoria|1'), "
        "('2021-01-02 00:00:00', 'Skipped'), ('2021-02-04 23:59:59', 'Line\nbreak'), "
        "('2021-05-08 12:00:00', NULL)");
    cfg["dml"] = "list.sql";
    cfg["sql_parse_key"] = "pmrp_qdata_dates";
    cfg["date_list"] = {"2021-01-01", "2021-02-04", "2021-05-08"};
    cfg.erase("start_date");
    cfg.erase("end_date");
    cfg["addquotes"] = false;
    cfg["escape"] = true;
    cfg["delimiter"] = "|";
    RunResult r = run("2024-02-16T06:00:01");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(
        ws.read(bucket, batch("pmrp_2021-01-01_2021-02-04_2021-05-08_20240216T060001_part000")),
        "cfms_poc.welcome_time|cfms_poc.office_name\n"
        "2021-01-01 08:30:00|Victoria\\|1\n"
        "2021-02-04 23:59:59|Line\\\nbreak\n");
    EXPECT_EQ(r.out.find("Requested Dates"), std::string::npos);
}

TEST_P(RedshiftToS3, EarlierBatchObjectsAreStoredAndACrashBeforeTheMarkerIsRepaired) {
    seed(kSeed);
    ws.write_file("dml/plain.sql",
                  "SELECT location FROM google.google_mybusiness_servicebc_derived ORDER BY 1");
    cfg["dml"] = "plain.sql";
    cfg.erase("sql_parse_key");
    cfg.erase("start_date");
    cfg.erase("end_date");
    // Left by an earlier run that stopped after its export; another config's object is ignored.
    ws.put(bucket, batch("pmrp_20240101T000000_part000"), "earlier\n");
    ws.put(bucket, batch("other_20240101T000000_part000"), "not ours\n");
    // The second object to reach the client copy (the earlier one is the first) dies there.
    RunResult r = run("2024-02-16T06:00:01", {}, {{"GDX_TEST_CRASH_AT", "after_client_copy:2"}});
    EXPECT_NE(r.exit_code, 0);
    const std::string mine = "pmrp_20240216T060001_part000";
    EXPECT_TRUE(ws.exists(bucket, good("pmrp_20240101T000000_part000")));
    EXPECT_TRUE(ws.exists(bucket, client(mine)));
    EXPECT_FALSE(ws.exists(bucket, good(mine)));

    r = run("2024-02-16T06:20:00");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_TRUE(ws.exists(bucket, good(mine)));
    EXPECT_NE(r.out.find("Objects to store: 2\n"), std::string::npos) << r.out;
    EXPECT_FALSE(ws.exists(bucket, good("other_20240101T000000_part000")));
    EXPECT_FALSE(ws.exists(bucket, client("other_20240101T000000_part000")));

    // Same second again: the target exists and is never overwritten.
    const std::string before = ws.read(bucket, batch("pmrp_20240216T062000_part000"));
    seed("('servicebc', '2024-03-01', 'New', 1)");
    r = run("2024-02-16T06:20:00");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("ATTN"), std::string::npos);
    EXPECT_NE(r.out.find("Objects loaded to S3 /batch: 0/1"), std::string::npos) << r.out;
    EXPECT_EQ(ws.read(bucket, batch("pmrp_20240216T062000_part000")), before);
}

TEST_P(RedshiftToS3, NoRowsWritesNoObject) {
    cfg["start_date"] = "20240101";
    cfg["end_date"] = "20240102";
    RunResult r = run("2024-02-16T06:00:01", {"--report-json", "report.json"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Objects loaded to S3 /batch: 0/0"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("no rows"), std::string::npos) << r.out;
    EXPECT_FALSE(ws.exists(bucket, batch("pmrp_20240101_20240102_20240216T060001_part000")));
    const auto report = ojson::parse(std::ifstream(ws.dir() / "report.json"));
    EXPECT_EQ(report["batch_empty"].size(), 1u);
}

TEST_P(RedshiftToS3, MinOfAnEmptyTableStopsWithTheReport) {
    cfg["start_date"] = "min";
    RunResult r = run("2024-02-16T06:00:01");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("ATTN"), std::string::npos);
    EXPECT_NE(r.out.find("empty"), std::string::npos) << r.out;
}

TEST_P(RedshiftToS3, ConfigErrorsTouchNothing) {
    cfg["sql_parse_key"] = "pmrp_other";
    RunResult r = run("2024-02-16T06:00:01");
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("sql_parse_key"), std::string::npos) << r.err;
    cfg["sql_parse_key"] = "pmrp_qdata_dates";
    cfg["date_list"] = ojson::array();
    r = run("2024-02-16T06:00:01");
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find("date_list"), std::string::npos) << r.err;
}

TEST_P(RedshiftToS3, AThousandAndOneMarkersDoNotFreezeUnsent) {
    // One marker per day from 2020-01-01; in key order the newest is past the first page.
    using namespace std::chrono;
    const sys_days first = sys_days(year{2020} / January / 1);
    auto ymd = [](sys_days d) {
        const year_month_day v(d);
        return fmt::format("{:04d}{:02d}{:02d}", static_cast<int>(v.year()),
                           static_cast<unsigned>(v.month()), static_cast<unsigned>(v.day()));
    };
    for (int i = 0; i < 1001; ++i) {
        const std::string d = ymd(first + days(i));
        ws.put(bucket, good("pmrp_" + d + "_" + d + "_" + d + "T060000_part000"), "x");
    }
    const std::string next = ymd(first + days(1001));  // 2022-09-28
    seed(fmt::format("('servicebc', '{}-{}-{}', 'Next', 1)", next.substr(0, 4), next.substr(4, 2),
                     next.substr(6, 2)));
    RunResult r = run("2024-02-16T06:00:01");
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Requested Dates: " + next + " to " + next), std::string::npos) << r.out;
    EXPECT_TRUE(
        ws.exists(bucket, client("pmrp_" + next + "_" + next + "_20240216T060001_part000")));
}

// A client copy that fails sends that object to bad and the others still go through; exit 1.
// (Embedded: a directory where the client copy should go makes the copy fail.)
TEST(RedshiftToS3Embedded, AFailedClientCopyGoesToBadAndTheRunGoesOn) {
    Workspace ws(Backend::Embedded);
    const std::string bucket = ws.bucket();
    ws.sql("CREATE TABLE t (v VARCHAR(10))");
    ws.sql("INSERT INTO t VALUES ('a')");
    ws.write_file("dml/plain.sql", "SELECT v FROM t");
    ojson cfg = {{"bucket", bucket}, {"storage", "client"},  {"archive", "processed"},
                 {"directory", "d"}, {"object_prefix", "p"}, {"dml", "plain.sql"},
                 {"header", false},  {"addquotes", false}};
    const auto config = ws.write_file("config.json", cfg.dump());
    ws.put(bucket, "processed/batch/client/d/p_20240101T000000_part000", "earlier\n");
    ws.put(bucket, "client/d/p_20240101T000000_part000/blocker", "x");

    // -c CONFIG as the original's flag; --dry-run changes nothing.
    RunResult r = gdx::test::run_gdx(
        {"redshift-to-s3", "-c", config.string(), "--store", ws.store_uri(), "--warehouse",
         ws.warehouse_uri(), "--log-dir", (ws.dir() / "logs").string(), "--dry-run"},
        {{"GDX_NOW", "2024-02-16T06:00:01"}}, ws.dir());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("store: processed/batch/client/d/p_20240101T000000_part000"),
              std::string::npos)
        << r.out;
    EXPECT_FALSE(ws.exists(bucket, "processed/batch/client/d/p_20240216T060001_part000"));

    r = ws.run_job("redshift-to-s3", config, {}, {{"GDX_NOW", "2024-02-16T06:00:01"}});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("ATTN"), std::string::npos);
    EXPECT_NE(r.out.find("Objects not stored to s3 /client: 1"), std::string::npos) << r.out;
    EXPECT_EQ(ws.read(bucket, "processed/bad/client/d/p_20240101T000000_part000"), "earlier\n");
    EXPECT_EQ(ws.read(bucket, "client/d/p_20240216T060001_part000"), "a\n");
    EXPECT_TRUE(ws.exists(bucket, "processed/good/client/d/p_20240216T060001_part000"));

    // Marked bad: never retried.
    r = ws.run_job("redshift-to-s3", config, {}, {{"GDX_NOW", "2024-02-16T06:10:00"}});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Objects to store: 1\n"), std::string::npos) << r.out;
}
