// End-to-end, on each backend: data that Redshift (and so the original services) loads is
// loaded by gdx too (docs/differences.md, "What Redshift loads, gdx loads").
#include <gtest/gtest.h>

#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;
using gdx::test::base_config;
using gdx::test::RunResult;
using gdx::test::Workspace;
using nlohmann::json;

namespace {

class RedshiftFidelity : public ::testing::TestWithParam<Backend> {
protected:
    RedshiftFidelity() : ws(GetParam()), kBucket(ws.bucket()) {
        ws.sql("CREATE SCHEMA IF NOT EXISTS f");
    }
    RunResult load(const std::string& dbtable, const std::vector<std::string>& columns,
                   const std::string& key, const std::string& body) {
        cfg = base_config(dbtable, columns);
        cfg["bucket"] = kBucket;
        ws.put(kBucket, "client/dir/" + key, body);
        return ws.run_job("s3-to-redshift", ws.write_file("config.json", cfg.dump(2)));
    }

    Workspace ws;
    const std::string kBucket;
    nlohmann::ordered_json cfg;
};
INSTANTIATE_TEST_SUITE_P(Backends, RedshiftFidelity,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return backend_name(info.param); });

// Redshift does not enforce PRIMARY KEY, UNIQUE or REFERENCES: a repeated id loads.
TEST_P(RedshiftFidelity, KeysInTheDdlAreNotEnforced) {
    ws.sql(
        "CREATE TABLE f.calls (\"ID\" INTEGER ENCODE ZSTD NOT NULL PRIMARY KEY, code VARCHAR(10) "
        "UNIQUE, parent INTEGER REFERENCES f.calls (\"ID\"))");
    auto r = load("f.calls", {"ID", "code", "parent"}, "calls.csv",
                  "ID|code|parent\n1|a|7\n1|a|8\n2|b|1\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = ws.query("SELECT \"ID\", code, parent FROM f.calls ORDER BY parent");
    ASSERT_EQ(rows.size(), 3u);
    // "ID" is the column id: Redshift folds quoted identifiers too.
    EXPECT_EQ(rows[1]["id"], 1);
    EXPECT_EQ(rows[2]["id"], 1);
    EXPECT_EQ(rows[2]["code"], "a");
    EXPECT_TRUE(ws.exists(kBucket, "processed/good/client/dir/calls.csv"));
}

// The originals' COPY had NULL AS '-': a field that is exactly "-" is NULL in every column
// that is not text, with or without a column edit; in a text column it is data.
TEST_P(RedshiftFidelity, DashIsNullInColumnsThatAreNotText) {
    ws.sql(
        "CREATE TABLE f.logs (ip VARCHAR(20), size INTEGER, ms DOUBLE PRECISION, ok BOOLEAN, "
        "day DATE, at TIMESTAMP, amount DECIMAL(8,2), n BIGINT)");
    cfg = base_config("f.logs", {"ip", "size", "ms", "ok", "day", "at", "amount", "n"});
    cfg["bucket"] = kBucket;
    cfg["no_header"] = true;
    cfg["dtype_dic_ints"] = {"n"};
    cfg["dtype_dic_bools"] = {"ok"};
    cfg["dateformat"] = json::array({{{"field", "at"}, {"format", "%d/%b/%Y:%H:%M:%S"}}});
    ws.put(kBucket, "client/dir/access.csv",
           "-|-|-|-|-|-|-|-\n"
           "10.0.0.1|200|1.5|True|2024-01-05|05/Jan/2024:10:11:12|3.25|007\n");
    auto r = ws.run_job("s3-to-redshift", ws.write_file("config.json", cfg.dump(2)));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rows = ws.query(
        "SELECT ip, size, ms, ok, day, at, amount, n FROM f.logs "
        "ORDER BY CASE WHEN ip = '-' THEN 0 ELSE 1 END");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0]["ip"], "-");
    for (const char* column : {"size", "ms", "ok", "day", "at", "amount", "n"})
        EXPECT_TRUE(rows[0][column].is_null()) << column << " " << rows[0].dump();
    EXPECT_EQ(rows[1]["size"], 200);
    EXPECT_EQ(rows[1]["n"], 7);
    EXPECT_EQ(rows[1]["at"], "2024-01-05 10:11:12");
}

}  // namespace
