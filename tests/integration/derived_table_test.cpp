// `gdx derived-table` end to end with the original Service BC config and DML: the sources
// are created from their original DDL (the calendar, which has none, from a stub) and
// seeded; the derived table must hold exactly the joined rows, on SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <filesystem>

#include "../support/original_configs.hpp"
#include "harness.hpp"

namespace fs = std::filesystem;
using gdx::test::Backend;
using gdx::test::Workspace;
using nlohmann::json;

namespace {

class DerivedTable : public ::testing::TestWithParam<Backend> {
protected:
    void SetUp() override {
        auto dir = gdx::test::original_configs_dir();
        if (!dir) GTEST_SKIP() << gdx::test::kNoOriginals;
        originals_ = *dir;
        ws_ = std::make_unique<Workspace>(GetParam());
        ws_->sql("CREATE SCHEMA IF NOT EXISTS google; CREATE SCHEMA IF NOT EXISTS servicebc");
        ws_->sql(gdx::test::read_text_file(
            originals_ / "google_mybusiness/historical_v4_2023-01/google.locations.sql"));
        ws_->sql(
            gdx::test::read_text_file(originals_ / "s3_to_redshift/ddl/servicebc.office_info.sql"));
        ws_->sql(
            "CREATE TABLE servicebc.datedimension (datekey DATE, isweekend INTEGER, "
            "isholiday VARCHAR(5), lastdayofpsapayperiod VARCHAR(10), fiscalyear INTEGER, "
            "fiscalmonth INTEGER, fiscalquarter INTEGER, sbcquarter INTEGER, day INTEGER, "
            "weekday INTEGER, weekdayname VARCHAR(10))");
        // Two calendar days; 2024-01-07 is missing, so its metrics are dropped.
        ws_->sql(
            "INSERT INTO servicebc.datedimension VALUES "
            "('2024-01-05', 0, 'false', '20240112', 2024, 10, 4, 4, 5, 6, 'Friday'), "
            "('2024-01-06', 1, 'true', '20240112', 2024, 10, 4, 4, 6, 7, 'Saturday')");
        // loc1 has an open office record and a closed one; loc2 has none.
        ws_->sql(
            "INSERT INTO servicebc.office_info (id, start_date, end_date, officesize, area, "
            "current_area, google_location_id, site) VALUES "
            "(1, '2020-01-01 00:00:00', NULL, 'L', '3', '3', 'loc1', 'Site A'), "
            "(2, '2015-01-01 00:00:00', '2019-12-31 00:00:00', 'S', '1', '1', 'loc1', 'Old')");
        ws_->sql(
            "INSERT INTO google.locations (date, client, location, location_id, views_search, "
            "queries_direct) VALUES "
            "('2024-01-05', 'servicebc', 'Office A', 'loc1', 10, 1), "
            "('2024-01-06', 'servicebc', 'Office B', 'loc2', 20, 2), "
            "('2024-01-07', 'servicebc', 'Office A', 'loc1', 30, 3)");
        config_ = originals_ / "google_mybusiness_servicebc_derived/config.d/config_servicebc.json";
    }

    std::vector<json> derived_rows() {
        return ws_->query(
            "SELECT location_id, date, views_search, office_site, office_size, area_number, "
            "office_id, current_area, isweekend, isholiday, lastdayofpsapayperiod, fiscalyear, "
            "weekdayname FROM google.google_mybusiness_servicebc_derived ORDER BY date");
    }

    fs::path originals_, config_;
    std::unique_ptr<Workspace> ws_;
};

TEST_P(DerivedTable, OriginalDmlBuildsTheJoinedTable) {
    auto r = ws_->run_job("derived-table", config_);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Success: executed the transaction to prepare the "
                         "google_mybusiness_servicebc_derived DT"),
              std::string::npos)
        << r.out;
    const std::vector<json> want = {
        json::parse(R"({"location_id":"loc1","date":"2024-01-05","views_search":10,
            "office_site":"Site A","office_size":"L","area_number":"3","office_id":1,
            "current_area":"3","isweekend":0,"isholiday":0,"lastdayofpsapayperiod":"2024-01-12",
            "fiscalyear":2024,"weekdayname":"Friday"})"),
        json::parse(R"({"location_id":"loc2","date":"2024-01-06","views_search":20,
            "office_site":null,"office_size":null,"area_number":null,"office_id":null,
            "current_area":null,"isweekend":1,"isholiday":1,"lastdayofpsapayperiod":"2024-01-12",
            "fiscalyear":2024,"weekdayname":"Saturday"})"),
    };
    EXPECT_EQ(derived_rows(), want);

    // A second run rebuilds it from the current sources.
    ws_->sql("DELETE FROM google.locations WHERE location_id = 'loc2'");
    r = ws_->run_job("derived-table", config_);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(derived_rows(), std::vector<json>{want[0]});
}

TEST_P(DerivedTable, AFailingDmlChangesNothingAndExitsOne) {
    ASSERT_EQ(ws_->run_job("derived-table", config_).exit_code, 0);
    // Same table, a DML whose last statement fails after the DROP: all or nothing.
    const fs::path service = ws_->dir() / "svc";
    fs::create_directories(service / "config.d");
    fs::create_directories(service / "dml");
    ws_->write_file("svc/dml/broken.sql",
                    "BEGIN; DROP TABLE IF EXISTS {schema}.{dbtable}; CREATE TABLE "
                    "{schema}.{dbtable} AS SELECT * FROM google.no_such_table; COMMIT;");
    ws_->write_file("svc/config.d/broken.json",
                    R"({"schema": "google", "dbtable": "google_mybusiness_servicebc_derived",
                        "dml": "broken.sql"})");
    auto r = ws_->run_job("derived-table", service / "config.d" / "broken.json",
                          {"--report-json", (ws_->dir() / "report.json").string()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("Error: failed to execute"), std::string::npos) << r.out;
    EXPECT_EQ(derived_rows().size(), 2u);
    const json report = json::parse(gdx::test::read_text_file(ws_->dir() / "report.json"));
    EXPECT_EQ(report["success"], false);
}

TEST_P(DerivedTable, BadConfigsAreConfigErrors) {
    ws_->write_file("nodml.json", R"({"schema": "google", "dbtable": "t"})");
    auto r = ws_->run_job("derived-table", ws_->dir() / "nodml.json");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("dml"), std::string::npos) << r.err;
    ws_->write_file("missing.json", R"({"schema": "google", "dbtable": "t", "dml": "nope.sql"})");
    r = ws_->run_job("derived-table", ws_->dir() / "missing.json");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("nope.sql"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Backends, DerivedTable,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return gdx::test::backend_name(info.param); });

}  // namespace
