// Every original DML file runs on both local backends through the Redshift translation:
// the 31 redshift_to_s3 queries (decoded from their UNLOAD-literal form and templated as
// the job does), google_search's cmslite.google_dt.sql, google_mybusiness's DML and the
// Service BC derived table. Stub tables stand in for the sources nothing here loads; the
// others come from the originals' own DDL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "../../support/original_configs.hpp"
#include "pg_test_support.hpp"
#include "util/error.hpp"
#include "warehouse/sql/unload_literal.hpp"
#include "warehouse/warehouse.hpp"

namespace fs = std::filesystem;
using namespace gdx::warehouse;
using gdx::test::read_text_file;

namespace {

// Sources of the exports that no original DDL describes: the columns the DML read.
constexpr const char* kQueueColumns = R"((
  welcome_time TIMESTAMP, latest_time TIMESTAMP, office_id INTEGER, office_name VARCHAR(255),
  agent_id INTEGER, idir VARCHAR(255), client_id INTEGER, back_office VARCHAR(255),
  channel_sort INTEGER, channel VARCHAR(255), counter_type VARCHAR(255),
  inaccurate_time BOOLEAN, no_wait_visit BOOLEAN, program_id INTEGER,
  program_name VARCHAR(255), transaction_name VARCHAR(255), service_count INTEGER,
  status VARCHAR(255), transaction_count INTEGER, hold_duration INTEGER,
  prep_duration INTEGER, serve_duration INTEGER, service_creation_duration INTEGER,
  waiting_duration INTEGER, hold_duration_zscore FLOAT, prep_duration_zscore FLOAT,
  serve_duration_zscore FLOAT, service_creation_duration_zscore FLOAT,
  waiting_duration_zscore FLOAT, hold_duration_total INTEGER, prep_duration_total INTEGER,
  serve_duration_total INTEGER, waiting_duration_total INTEGER);
)";
constexpr const char* kStubTables = R"(
CREATE SCHEMA IF NOT EXISTS derived;
CREATE SCHEMA IF NOT EXISTS looker;
CREATE SCHEMA IF NOT EXISTS cmslite;
CREATE SCHEMA IF NOT EXISTS microservice;
CREATE SCHEMA IF NOT EXISTS google;
CREATE SCHEMA IF NOT EXISTS servicebc;
CREATE TABLE derived.page_views (
  page_view_id VARCHAR(255), session_id VARCHAR(255), domain_userid VARCHAR(255),
  page_view_start_time TIMESTAMP, page_urlhost VARCHAR(255), page_urlpath VARCHAR(4096),
  page_display_url VARCHAR(4096), node_id VARCHAR(255), geo_region VARCHAR(255),
  geo_country VARCHAR(255), page_exclusion_filter VARCHAR(255), app_id VARCHAR(255),
  page_section VARCHAR(255), page_subsection VARCHAR(255), refr_medium VARCHAR(255),
  referrer_channel VARCHAR(255));
CREATE TABLE looker.NZ_snowplow_web_block_healthgateway_actions (
  "timestamp" TIMESTAMP, text VARCHAR(255), action VARCHAR(255), page_urlhost VARCHAR(255),
  session_id VARCHAR(255));
CREATE TABLE microservice.asset_downloads_derived (
  asset_url_nopar_case_insensitive VARCHAR(4096), date_timestamp TIMESTAMP);
CREATE TABLE servicebc.datedimension (
  datekey DATE, isweekend INTEGER, isholiday VARCHAR(5), lastdayofpsapayperiod DATE,
  fiscalyear INTEGER, fiscalmonth INTEGER, fiscalquarter INTEGER, sbcquarter INTEGER,
  day INTEGER, weekday INTEGER, weekdayname VARCHAR(10));
)";

// Original DDL files (relative to the originals' folder) the DML read from.
const char* const kOriginalDdl[] = {
    "cmslitemetadata_to_redshift/ddl/cmslite.themes.sql",
    "cmslitemetadata_to_redshift/ddl/cmslite.metadata.sql",
    "s3_to_redshift/ddl/google.googlesearch.sql",
    "s3_to_redshift/ddl/google.google_sites.sql",
    "s3_to_redshift/ddl/servicebc.office_info.sql",
    "google_mybusiness/historical_v4_2023-01/google.locations.sql",
};

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// The job's templating (in the literal's doubled-quote form), then the literal decoded.
std::string export_query(const std::string& dml) {
    std::string t = replace_all(dml, "{pmrp_date_range}", "''20240201'' AND ''20240215''");
    t = replace_all(t, "{pmrp_qdata_dates}",
                    "((cfms_poc.welcome_time >= (TIMESTAMP ''2021-01-01'')) AND "
                    "(cfms_poc.welcome_time < ((DATEADD(day,1, TIMESTAMP ''2021-01-01''))))) ");
    return sql::decode_unload_literal(t);
}

class OriginalDml : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        auto dir = gdx::test::original_configs_dir();
        if (!dir) GTEST_SKIP() << gdx::test::kNoOriginals;
        originals_ = *dir;
        ::setenv("TZ", "America/Vancouver", 1);
        ::setenv("GDX_NOW", "2024-02-16T06:00:01", 1);
        if (GetParam() == "sqlite") {
            tmp_ = fs::temp_directory_path() / ("gdx-dml-" + std::to_string(::getpid()));
            fs::create_directories(tmp_);
            wh_ = open_warehouse("sqlite:" + (tmp_ / "w.db").string());
        } else {
            wh_ = open_warehouse(gdx::test::pg_fresh_database("gdx_dml"));
        }
        wh_->run_script(kStubTables, nullptr);
        wh_->run_script(std::string("CREATE TABLE derived.theq_step1 ") + kQueueColumns, nullptr);
        wh_->run_script(std::string("CREATE TABLE derived.theq_sdpr_step1 ") + kQueueColumns,
                        nullptr);
        for (const char* ddl : kOriginalDdl) {
            SCOPED_TRACE(ddl);
            ASSERT_NO_THROW(wh_->run_script(read_text_file(originals_ / ddl), nullptr));
        }
        // The Service BC derived table, which pmrp_date_range exports, from its own DML.
        const std::string derived = replace_all(
            replace_all(read_text_file(originals_ / "google_mybusiness_servicebc_derived/dml/"
                                                    "servicebc.mybusiness.sql"),
                        "{schema}", "google"),
            "{dbtable}", "google_mybusiness_servicebc_derived");
        ASSERT_NO_THROW(wh_->run_script(derived, nullptr));
    }
    void TearDown() override {
        wh_.reset();
        if (!tmp_.empty()) fs::remove_all(tmp_);
        ::unsetenv("GDX_NOW");
        ::unsetenv("TZ");
    }

    size_t count_rows(const std::string& sql) {
        size_t n = 0;
        wh_->run_script(sql, [&](const ResultRow&) { ++n; });
        return n;
    }

    fs::path originals_, tmp_;
    std::unique_ptr<Warehouse> wh_;
};

TEST_P(OriginalDml, EveryExportQueryPreparesAndRuns) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(originals_ / "redshift_to_s3" / "dml"))
        files.push_back(e.path());
    std::sort(files.begin(), files.end());
    ASSERT_EQ(files.size(), 31u);
    for (const fs::path& file : files) {
        SCOPED_TRACE(file.filename().string());
        const std::string query = export_query(read_text_file(file));
        EXPECT_GT(count_rows("EXPLAIN " + query), 0u);
        EXPECT_EQ(count_rows(query), 0u);  // the stub tables are empty
    }
}

TEST_P(OriginalDml, GoogleSearchDerivedTableScriptRunsTwice) {
    const std::string script =
        read_text_file(originals_ / "google_search" / "dml" / "cmslite.google_dt.sql");
    ASSERT_NO_THROW(wh_->run_script(script, nullptr));
    ASSERT_NO_THROW(wh_->run_script(script, nullptr));
    const auto schema = wh_->describe_table("cmslite.google_dt");
    ASSERT_TRUE(schema);
    EXPECT_EQ(schema->columns.size(), 23u);
}

TEST_P(OriginalDml, GoogleMyBusinessDmlCreatesItsTable) {
    const std::string script =
        read_text_file(originals_ / "google_mybusiness" / "dml" / "google.mybusiness.sql");
    ASSERT_NO_THROW(wh_->run_script(script, nullptr));
    const auto schema = wh_->describe_table("google.mybusiness");
    ASSERT_TRUE(schema);
    EXPECT_EQ(schema->columns.size(), 13u);
}

TEST_P(OriginalDml, CmsliteThemesPostLoadSqlRuns) {
    // cmslite-metadata's post-load SQL: lateral column aliases, a column named index,
    // INSERT INTO t (SELECT …) and INSERTs with fewer values than columns.
    const std::string script = replace_all(
        read_text_file(originals_ / "cmslitemetadata_to_redshift/ddl/cmslite.to_redshift.sql"),
        "{dbschema}", "cmslite");
    ASSERT_NO_THROW(wh_->run_script(script, nullptr));
    const auto schema = wh_->describe_table("cmslite.themes");
    ASSERT_TRUE(schema);
    EXPECT_EQ(schema->columns.size(), 16u);
    EXPECT_EQ(count_rows("SELECT * FROM cmslite.themes"), 0u);
}

TEST_P(OriginalDml, DerivedAssetsBuildSqlDerivesTheColumns) {
    // derived_assets_to_redshift's build SQL, templated as the original did (str.format with
    // gov_assets.json's values; {{ and }} become braces), over one access-log row.
    wh_->run_script("DROP TABLE microservice.asset_downloads_derived", nullptr);
    for (const char* ddl : {"derived_assets_to_redshift/ddl/derived.asset_downloads.sql",
                            "derived_assets_to_redshift/ddl/derived.asset_downloads_derived.sql"}) {
        ASSERT_NO_THROW(wh_->run_script(read_text_file(originals_ / ddl), nullptr)) << ddl;
    }
    wh_->run_script(
        "INSERT INTO microservice.asset_downloads (ip, date_timestamp, request_string, "
        "status_code, return_size, referrer, user_agent_http_request_header) VALUES ("
        "'142.22.1.1', '2023-10-10 13:55:36-07:00', "
        "'GET /assets/gov/a/Report.PDF?x=1 HTTP/1.1', 200, 1234, "
        "'https://www2.gov.bc.ca/gov/search?q=abc&x=1', 'Mozilla/5.0 (Windows NT 10.0) Mobile')",
        nullptr);
    std::string script =
        read_text_file(originals_ / "derived_assets_to_redshift/ddl/build_derived_assets.sql");
    script = replace_all(script, "{schema_name}", "microservice");
    script = replace_all(script, "{asset_host}", "www2.gov.bc.ca");
    script = replace_all(script, "{asset_source}", "CMSLite");
    script = replace_all(script, "{asset_scheme_and_authority}", "https://www2.gov.bc.ca");
    script = replace_all(script, "{truncate_intermediate_table}",
                         "TRUNCATE TABLE microservice.asset_downloads;");
    script = replace_all(replace_all(script, "{{", "{"), "}}", "}");
    ASSERT_NO_THROW(wh_->run_script(script, nullptr));

    std::vector<std::string> got;
    wh_->run_script(
        "SELECT asset_url, date_timestamp, asset_file, asset_ext, asset_host, asset_source, "
        "direct_download, offsite_download, is_government, is_mobile, device, "
        "referrer_urlhost_derived, referrer_urlpath, referrer_urlquery, referrer_urlscheme, "
        "page_referrer_display_url, asset_url_nopar, asset_url_nopar_case_insensitive, "
        "truncated_asset_url_nopar_case_insensitive FROM microservice.asset_downloads_derived",
        [&](const ResultRow& r) {
            for (const auto& v : r.values) {
                if (const auto* i = std::get_if<int64_t>(&v)) {
                    got.push_back(std::to_string(*i));
                } else if (const auto* t = std::get_if<std::string>(&v)) {
                    got.push_back(*t);
                } else {
                    got.push_back("?");
                }
            }
        });
    const std::vector<std::string> want = {
        "https://www2.gov.bc.ca/assets/gov/a/Report.PDF?x=1",
        "2023-10-10 13:55:36",
        "Report.PDF",
        "PDF",
        "www2.gov.bc.ca",
        "CMSLite",
        "0",
        "0",
        "1",
        "1",
        "Mobile",
        "www2.gov.bc.ca",
        "/gov/search",
        "q=abc&x=1",
        "https",
        "https://www2.gov.bc.ca/gov/search?q=abc&x=1",
        "https://www2.gov.bc.ca/assets/gov/a/Report.PDF",
        "https://www2.gov.bc.ca/assets/gov/a/report.pdf",
        "https://www2.gov.bc.ca/assets/gov/a/report.pdf",
    };
    EXPECT_EQ(got, want);
    EXPECT_EQ(count_rows("SELECT * FROM microservice.asset_downloads"), 0u);  // truncated
}

TEST_P(OriginalDml, ServiceBcDerivedTableHasTheJoinedColumns) {
    const auto schema = wh_->describe_table("google.google_mybusiness_servicebc_derived");
    ASSERT_TRUE(schema);
    std::vector<std::string> names;
    for (const auto& c : schema->columns) names.push_back(c.name);
    // google.locations' 16 columns, 5 from office_info, 10 from datedimension.
    ASSERT_EQ(names.size(), 31u);
    EXPECT_EQ(names[0], "date");
    EXPECT_EQ(names[16], "office_site");
    EXPECT_EQ(names[17], "office_size");
    EXPECT_EQ(names[21], "isweekend");
    EXPECT_EQ(names[23], "lastdayofpsapayperiod");
    EXPECT_EQ(names[30], "weekdayname");
}

INSTANTIATE_TEST_SUITE_P(Backends, OriginalDml, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(UnloadLiteral, DecodesAsRedshiftReadsTheUnloadText) {
    EXPECT_EQ(sql::decode_unload_literal("x = ''a'' AND tz = ''America/\\Vancouver'' OR ''''"),
              "x = 'a' AND tz = 'America/Vancouver' OR ''");
    EXPECT_EQ(sql::decode_unload_literal("\\\\ \\'"), "\\ '");
    EXPECT_THROW(sql::decode_unload_literal("a\n''\\n''"), gdx::ConfigError);
}

}  // namespace
