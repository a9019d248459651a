#pragma once
// What the google-search end-to-end tests share: the fake Google server (one per test binary),
// its sites, and a fixture with a workspace (table, DML, OAuth files, config) per backend.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../fakes/fake_google.hpp"
#include "../support/original_configs.hpp"
#include "google_job.hpp"
#include "harness.hpp"

namespace gdx::test::search {

using nlohmann::json;
using testing::FakeGoogle;

inline const std::string kWww2 = "https://www2.gov.bc.ca/";
inline const std::string kDomain = "sc-domain:gov.bc.ca";
inline const std::string kPrefix = "client/google_gdx/";
inline const std::string kRejected = "sc-domain:rejected.example";  // every query 401 (a fault)

inline FakeGoogle& fake() {
    static FakeGoogle server(gdx::testing::google_scenario());
    return server;
}

// Rows with everything the object format must carry: stripped | and \, a query that is only
// "-", quotes, non-ASCII, a page longer than the column, numbers in every spelling.
inline json special_rows() {
    return json::array(
        {{{"keys", {"2026-05-10", "a|b\\c", "can", "MOBILE", "https://www2.gov.bc.ca/x"}},
          {"clicks", 12.0},
          {"impressions", 100},
          {"ctr", 0.00001},
          {"position", 3}},
         {{"keys", {"2026-05-10", "-", "usa", "DESKTOP", "https://www2.gov.bc.ca/\"q\""}},
          {"clicks", 0},
          {"impressions", 7.0},
          {"ctr", 0.0},
          {"position", 2.5}},
         {{"keys",
           {"2026-05-10", "où est mon chèque", "fra", "TABLET",
            "https://www2.gov.bc.ca/" + std::string(3000, 'p')}},
          {"clicks", 1},
          {"impressions", 3},
          {"ctr", 0.3333333333333333},
          {"position", 1.0}}});
}

inline json sites() {
    return {{kWww2, {{"every_day", {{"generate", {{"count", 20}}}}}}},
            {kDomain, {{"days", {{"2026-05-10", {{"rows", special_rows()}}}}}}},
            {"sc-domain:unverified.example", {{"permission", "none"}}},
            {kRejected, {{"every_day", {{"generate", {{"count", 20}}}}}}}};
}

class GoogleSearch : public ::testing::TestWithParam<Backend> {
protected:
    GoogleSearch() : ws(GetParam()) {}

    void SetUp() override {
        scenario = gdx::testing::google_scenario(sites());
        fake().set_scenario(scenario);
        ws.sql("CREATE SCHEMA IF NOT EXISTS google");
        ws.sql("CREATE SCHEMA IF NOT EXISTS cmslite");
        ws.sql(
            "CREATE TABLE google.googlesearch (site VARCHAR(255) SORTKEY ENCODE ZSTD, date DATE, "
            "query VARCHAR(2048), country VARCHAR(255), device VARCHAR(255), page VARCHAR(2047), "
            "position FLOAT, clicks INTEGER, ctr FLOAT, impressions INTEGER)");
        std::filesystem::create_directories(ws.dir() / "dml");
        std::ofstream(ws.dir() / "dml" / "dt.sql")
            << "BEGIN;\nDROP TABLE IF EXISTS cmslite.google_dt;\n"
               "CREATE TABLE cmslite.google_dt AS SELECT site, date, SUM(clicks) AS clicks "
               "FROM google.googlesearch GROUP BY site, date;\nCOMMIT;\n";
        gdx::test::write_google_files(ws, fake(), "rt-good");
        config = {{"bucket", ws.bucket()},
                  {"source", "client"},
                  {"destination", "processed"},
                  {"directory", "google_gdx"},
                  {"dbtable", "google.googlesearch"},
                  {"dml", "dt.sql"},
                  {"sites",
                   {{{"name", kWww2}, {"start_date_default", "2026-04-01"}},
                    {{"name", kDomain}, {"start_date_default", "2026-05-08"}}}}};
    }

    RunResult run(const std::vector<std::string>& extra = {},
                  const gdx::test::WhileRunning& while_running = {}) {
        return gdx::test::run_google_job(ws, "google-search", "search.json", config, env(), extra,
                                         while_running);
    }
    std::map<std::string, std::string> env() const {
        return {{"GDX_TODAY", "2026-05-20"},
                {"GDX_BACKOFF_SCALE", "0"},
                {"GDX_SEARCHCONSOLE_BASE", fake().url()}};
    }
    int64_t count(const std::string& where = "1=1") {
        return ws.query("SELECT count(*) AS c FROM google.googlesearch WHERE " + where)[0]["c"];
    }
    size_t search_calls(const std::string& site_part = "") {
        size_t n = 0;
        for (const auto& r : fake().requests_to("searchAnalytics"))
            if (r["path"].get<std::string>().find(site_part) != std::string::npos) ++n;
        return n;
    }
    // The search requests for `day`, in order.
    std::vector<json> day_calls(const std::string& day) {
        std::vector<json> out;
        for (const auto& r : fake().requests_to("searchAnalytics"))
            if (json::parse(r["body"].get<std::string>())["startDate"] == day) out.push_back(r);
        return out;
    }
    std::string log_text() const {
        return gdx::test::read_text_file(ws.dir() / "logs" / "google-search.log");
    }

    Workspace ws;
    json scenario;
    json config;
};

}  // namespace gdx::test::search
