// End-to-end: gdx google-business against the fake Google server, on a directory + SQLite and
// on S3 (moto) + PostgreSQL: accounts and locations over several pages, one metrics call per
// location, rows equal to what the fake serves, objects in the bucket, what a second run does,
// a failing location, bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include "../fakes/fake_google.hpp"
#include "../support/original_configs.hpp"
#include "../support/test_paths.hpp"
#include "google_job.hpp"
#include "harness.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;
using gdx::test::RunResult;
using gdx::test::Workspace;
using gdx::testing::FakeGoogle;
using nlohmann::json;

namespace {

const std::vector<std::string> kMetrics = {"BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
                                           "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
                                           "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
                                           "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
                                           "BUSINESS_CONVERSATIONS",
                                           "BUSINESS_DIRECTION_REQUESTS",
                                           "CALL_CLICKS",
                                           "WEBSITE_CLICKS",
                                           "BUSINESS_BOOKINGS"};
const std::string kGroup = "accounts/5448";  // Service BC: 150 generated locations
const std::string kNorth = "accounts/300";   // one location with an awkward title
const std::string kNorthTitle = "Fort St. John | North/East \\ Office";
const std::string kMissing =
    "locations/1007";  // listed, but the performance API has no such location
const std::string kBusinessPrefix = "client/google_mybusiness/";

FakeGoogle& business_fake() {
    static FakeGoogle server(gdx::testing::google_scenario());
    return server;
}

// 22 accounts, so the two groups are on the second page: the personal account first (with
// the Service BC number, which must not match), then 19 others.
json accounts() {
    json out = json::array(
        {{{"name", "accounts/100"}, {"type", "PERSONAL"}, {"accountNumber", "5448030039"}}});
    for (int i = 1; i <= 19; ++i)
        out.push_back({{"name", "accounts/" + std::to_string(900 + i)},
                       {"accountNumber", std::to_string(7000 + i)},
                       {"type", "LOCATION_GROUP"}});
    out.push_back({{"name", kGroup}, {"accountNumber", "5448030039"}, {"type", "LOCATION_GROUP"}});
    out.push_back({{"name", kNorth}, {"accountNumber", "1234"}, {"type", "LOCATION_GROUP"}});
    return out;
}

json scenario() {
    return gdx::testing::business_scenario(
        accounts(),
        {{kGroup, {{"generate", {{"count", 150}, {"first_id", 1000}}}}},
         {kNorth, json::array({{{"name", "locations/77"}, {"title", kNorthTitle}}})}},
        {{"not_found", {kMissing}}, {"split_outer", {"locations/1001", "locations/77"}}});
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

class GoogleBusiness : public ::testing::TestWithParam<Backend> {
protected:
    GoogleBusiness() : ws(GetParam()) {}

    void SetUp() override {
        business_fake().set_scenario(scenario());
        ws.sql("CREATE SCHEMA IF NOT EXISTS google");
        std::string ddl =
            "CREATE TABLE google.mybusiness (date DATE, client VARCHAR(255) ENCODE ZSTD, "
            "location VARCHAR(255) ENCODE ZSTD, location_id VARCHAR(255) ENCODE ZSTD";
        for (const auto& m : kMetrics) ddl += ", " + lower(m) + " INTEGER";
        ws.sql(ddl + ")");
        gdx::test::write_google_files(ws, business_fake(), "rt-business");
        config = {{"bucket", ws.bucket()},
                  {"source", "client"},
                  {"destination", "processed"},
                  {"directory", "google_mybusiness"},
                  {"dbtable", "google.mybusiness"},
                  {"metrics", kMetrics},
                  {"locations",
                   {{{"client_shortname", "servicebc"},
                     {"name", "Service BC Locations"},
                     {"id", 5448030039},
                     {"start_date", "2026-05-01"},
                     {"end_date", ""}},
                    {{"client_shortname", "north"},
                     {"name", "North"},
                     {"id", "1234"},
                     {"start_date", "2026-05-10"},
                     {"end_date", "2026-05-12"}}}}};
    }

    RunResult run(const std::vector<std::string>& extra = {},
                  const gdx::test::WhileRunning& while_running = {}) {
        return gdx::test::run_google_job(ws, "google-business", "mybusiness.json", config, env(),
                                         extra, while_running);
    }
    std::map<std::string, std::string> env() const {
        return {{"GDX_TODAY", "2026-05-20"},
                {"GDX_BACKOFF_SCALE", "0"},
                {"GDX_GBP_ACCOUNTS_BASE", business_fake().url()},
                {"GDX_GBP_INFO_BASE", business_fake().url() + "/"},
                {"GDX_GBP_PERF_BASE", business_fake().url()}};
    }
    int64_t count(const std::string& where = "1=1") {
        return ws.query("SELECT count(*) AS c FROM google.mybusiness WHERE " + where)[0]["c"];
    }
    size_t metric_calls() {
        return business_fake().requests_to(":fetchMultiDailyMetricsTimeSeries").size();
    }
    json served(const std::string& location, const std::string& start, const std::string& end) {
        return json::parse(gdx::testing::run_command("curl -sS '" + business_fake().url() +
                                                     "/__admin/gbp_values?location=" + location +
                                                     "&start=" + start + "&end=" + end + "'"));
    }
    void expect_no_retired_api() {
        for (const auto& r : business_fake().requests())
            EXPECT_EQ(r["path"].get<std::string>().find("/v4/"), std::string::npos) << r["path"];
    }

    Workspace ws;
    json config;
};
INSTANTIATE_TEST_SUITE_P(Backends, GoogleBusiness,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(GoogleBusiness, LoadsEveryLocationThenASecondRunLoadsNothing) {
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    // Service BC: 150 locations (two pages), one of them unknown to the performance API;
    // 2026-05-01 .. 2026-05-17 (today - 3). North: 2026-05-10 .. 2026-05-12.
    EXPECT_EQ(count("client = 'servicebc'"), 149 * 17);
    EXPECT_EQ(count("client = 'north'"), 3);
    EXPECT_EQ(count("location_id = '" + kGroup + "/" + kMissing + "'"), 0);
    EXPECT_EQ(metric_calls(), 151u);  // one call per location for all nine metrics
    EXPECT_EQ(business_fake().requests_to(kMissing).size(), 1u);  // 404: not retried
    EXPECT_EQ(business_fake().requests_to("/v1/accounts").size(),
              2u + 2u + 1u);  // accounts, 2+1 location pages
    expect_no_retired_api();

    // Every row equals what the fake serves.
    std::map<std::string, std::map<std::string, json>> loaded;  // location_id -> date -> row
    for (const auto& row : ws.query("SELECT * FROM google.mybusiness"))
        loaded[row["location_id"]][row["date"]] = row;
    ASSERT_EQ(loaded.size(), 150u);
    for (int id = 1000; id < 1150; ++id) {
        const std::string location = "locations/" + std::to_string(id);
        if (location == kMissing) continue;
        const json want = served(location, "2026-05-01", "2026-05-17");
        const auto& got = loaded[kGroup + "/" + location];
        ASSERT_EQ(got.size(), 17u) << location;
        for (const auto& [day, values] : want.items()) {
            const json& row = got.at(day);
            EXPECT_EQ(row["client"], "servicebc");
            EXPECT_EQ(row["location"], "Service BC Centre " + std::to_string(id));
            for (const auto& m : kMetrics)
                ASSERT_EQ(row[lower(m)], values[m]) << location << " " << day << " " << m;
        }
    }
    const auto& north = loaded[kNorth + "/locations/77"];
    ASSERT_EQ(north.size(), 3u);
    EXPECT_EQ(north.at("2026-05-10")["location"], kNorthTitle);  // | / and \ load as they are
    EXPECT_EQ(north.at("2026-05-11")["call_clicks"],
              served("locations/77", "2026-05-11", "2026-05-11")["2026-05-11"]["CALL_CLICKS"]);

    // The objects: the original's key (spaces -> '-', and '/' -> '_' so no key level is added),
    // escaped for COPY ... ESCAPE; their good copies.
    const std::string first =
        kBusinessPrefix + "servicebc/gmb_Service-BC-Centre-1000_2026-05-01_2026-05-17.csv";
    const std::string awkward =
        kBusinessPrefix +
        "north/gmb_Fort-St.-John-|-North_East-\\-Office_2026-05-10_2026-05-12.csv";
    for (const auto& key : {first, awkward}) {
        EXPECT_TRUE(ws.exists(ws.bucket(), key)) << key;
        EXPECT_TRUE(ws.exists(ws.bucket(), "processed/good/" + key)) << key;
    }
    const std::string object = ws.read(ws.bucket(), first);
    EXPECT_TRUE(object.starts_with(
        "date|client|location|location_id|business_impressions_desktop_maps|"
        "business_impressions_desktop_search|business_impressions_mobile_maps|"
        "business_impressions_mobile_search|business_conversations|business_direction_requests|"
        "call_clicks|website_clicks|business_bookings\n"
        "2026-05-01|servicebc|Service BC Centre 1000|accounts/5448/locations/1000|"))
        << object.substr(0, 400);
    EXPECT_EQ(std::count(object.begin(), object.end(), '\n'), 18);
    EXPECT_NE(
        ws.read(ws.bucket(), awkward)
            .find("|north|Fort St. John \\| North/East \\\\ Office|accounts/300/locations/77|"),
        std::string::npos);

    // The report: the failing location is named, the others count as successful calls.
    EXPECT_NE(r.out.find("Locations to process: 151\nSuccessful API calls: 150\n"
                         "Failed API calls: 1\nSuccessful loads to RedShift: 150\n"
                         "Failed loads to RedShift: 0\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("could not be retrieved:\n1: Service BC Centre 1007\n"), std::string::npos)
        << r.out;

    // Second run: every location is current, so nothing is fetched or loaded but the failing
    // one (still reported).
    business_fake().reset();
    auto again = run();
    ASSERT_EQ(again.exit_code, 0) << again.err << again.out;
    EXPECT_EQ(metric_calls(), 1u);
    EXPECT_EQ(business_fake().requests_to(kMissing).size(), 1u);
    EXPECT_NE(again.out.find("Successful loads to RedShift: 0\n"), std::string::npos) << again.out;
    EXPECT_EQ(count(), 149 * 17 + 3);
    expect_no_retired_api();
}

TEST_P(GoogleBusiness, ALocationWhoseRetriesRunOutIsSkippedAndFetchedAgainNextRun) {
    auto s = scenario();
    s["faults"] = {{{"id", "down"},
                    {"match", {{"path_regex", "locations/1010:fetchMulti"}}},
                    {"respond", {{"status", 503}, {"json", {{"error", {{"code", 503}}}}}}}}};
    business_fake().set_scenario(s);
    config["locations"][0]["start_date"] = "2026-05-15";
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(business_fake().requests_to("locations/1010").size(),
              8u);  // every attempt, then give up
    EXPECT_EQ(count("location_id = '" + kGroup + "/locations/1010'"), 0);
    EXPECT_EQ(count("client = 'servicebc'"), 148 * 3);
    EXPECT_NE(r.out.find("Failed API calls: 2\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Service BC Centre 1010"), std::string::npos) << r.out;

    business_fake().set_scenario(scenario());
    auto again = run();
    ASSERT_EQ(again.exit_code, 0) << again.err << again.out;
    EXPECT_EQ(count("location_id = '" + kGroup + "/locations/1010'"), 3);
}

// Killed between storing a location's object and loading it, then run a day later (a range that
// ends a day later, so an object of another name): the stored object is loaded first, then the
// days after it; every day once, every stored object in the ledger and copied to good.
TEST_P(GoogleBusiness, AnObjectStoredByAKilledRunIsLoadedByTheNextRun) {
    config["locations"] = {{{"client_shortname", "north"},
                            {"name", "North"},
                            {"id", "1234"},
                            {"start_date", "2026-05-01"},
                            {"end_date", ""}}};
    auto on = [&](const std::string& day, bool crash) {
        auto e = env();
        e["GDX_TODAY"] = day;
        if (crash) e["GDX_TEST_CRASH_AT"] = "after_api_object";
        return gdx::test::run_google_job(ws, "google-business", "mybusiness.json", config, e);
    };
    EXPECT_NE(on("2026-05-20", true).exit_code, 0);
    EXPECT_EQ(count(), 0);
    std::string name = kNorthTitle;  // as business_object_key names it
    std::replace(name.begin(), name.end(), ' ', '-');
    std::replace(name.begin(), name.end(), '/', '_');
    const std::string stored = kBusinessPrefix + "north/gmb_" + name + "_2026-05-01_2026-05-17.csv";
    ASSERT_TRUE(ws.exists(ws.bucket(), stored));
    auto r = on("2026-05-21", false);
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_GT(count(), 0);
    EXPECT_EQ(ws.query("SELECT count(DISTINCT date) AS c FROM google.mybusiness")[0]["c"], count());
    const auto ledger = ws.query("SELECT key FROM gdx_ledger WHERE bucket = '" + ws.bucket() + "'");
    bool stored_loaded = false;
    for (const auto& row : ledger) {
        const std::string key = row["key"];
        EXPECT_TRUE(ws.exists(ws.bucket(), "processed/good/" + key)) << key;
        stored_loaded = stored_loaded || key == stored;
    }
    EXPECT_TRUE(stored_loaded) << "the object the killed run stored was not loaded";
}

TEST_P(GoogleBusiness, LocationsListingThatFailsForGoodStopsWithExitOne) {
    auto s = scenario();
    s["faults"] = {{{"id", "down"},
                    {"match", {{"path_regex", "/locations$"}}},
                    {"respond", {{"status", 500}, {"json", {{"error", {{"code", 500}}}}}}}}};
    business_fake().set_scenario(s);
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
    EXPECT_NE(r.err.find("locations.list"), std::string::npos) << r.err;
    EXPECT_EQ(metric_calls(), 0u);
    EXPECT_EQ(count(), 0);
}

// Bad input is refused before any request, with exit 2 and a message naming the problem.
class GoogleBusinessInput : public GoogleBusiness {};
INSTANTIATE_TEST_SUITE_P(Embedded, GoogleBusinessInput, ::testing::Values(Backend::Embedded),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(GoogleBusinessInput, BadConfigsAreUsageErrors) {
    auto expect_usage = [&](const std::string& what, const std::string& needle) {
        business_fake().reset();
        auto r = run();
        EXPECT_EQ(r.exit_code, 2) << what << "\n" << r.err << r.out;
        EXPECT_NE(r.err.find(needle), std::string::npos) << what << "\n" << r.err;
        EXPECT_EQ(business_fake().requests().size(), 0u) << what;
    };
    const json saved = config;
    config["metrics"] = {"CALL_CLICKS", "NOT_A_METRIC"};
    expect_usage("unknown metric", "NOT_A_METRIC");
    config["metrics"] = {"CALL_CLICKS", "WEBSITE_CLICKS"};
    expect_usage("columns and metrics disagree", "google.mybusiness");
    config = saved;
    config["locations"][0]["start_date"] = "May 1";
    expect_usage("bad date", "start_date");
    config = saved;
    config.erase("locations");
    expect_usage("no locations", "locations");
    config = saved;
    config["dbtable"] = "google.nosuchtable";
    expect_usage("missing table", "google.nosuchtable");
}

TEST_P(GoogleBusinessInput, OriginalFlagsAndDryRun) {
    std::filesystem::create_directories(ws.dir() / "config.d");
    auto cfg = ws.write_file("config.d/mybusiness.json", config.dump());
    auto r = gdx::test::run_gdx(
        {"google-business", "-c", cfg.string(), "-o", (ws.dir() / "client_secrets.json").string(),
         "-a", (ws.dir() / "credentials.dat").string(), "--store", ws.store_uri(), "--warehouse",
         ws.warehouse_uri(), "--log-dir", (ws.dir() / "logs").string(), "--dry-run"},
        env(), ws.dir());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("accounts/5448/locations/1149 Service BC Centre 1149: fetch 2026-05-01 .. "
                         "2026-05-17"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(metric_calls(), 0u);
    EXPECT_EQ(count(), 0);
}

TEST_P(GoogleBusinessInput, SigintStopsBeforeTheNextLocationPrintsTheReportAndExits130) {
    auto s = scenario();
    s["faults"] = {{{"id", "slow"},
                    {"match", {{"path_regex", "locations/1003:fetchMulti"}}},
                    {"respond", {{"delay_ms", 2000}}}}};
    business_fake().set_scenario(s);
    config["locations"][0]["start_date"] = "2026-05-15";
    // Interrupt while the fourth location's metrics call is in flight.
    auto r = run({}, gdx::test::interrupt_when(
                         [] { return !business_fake().requests_to("locations/1003").empty(); }));
    EXPECT_EQ(r.exit_code, 130) << r.err;
    const std::string& out = r.out;
    EXPECT_NE(out.find("interrupted (SIGINT)"), std::string::npos) << out;
    // The location in flight is finished and loaded; the next ones are not started.
    EXPECT_NE(out.find("Locations to process: 4\nSuccessful API calls: 4\n"), std::string::npos)
        << out;
    EXPECT_EQ(metric_calls(), 4u);
    EXPECT_EQ(count(), 4 * 3);
}

// The original config, DDL and flags (skipped without GDX_ORIGINAL_CONFIGS).
TEST_P(GoogleBusinessInput, OriginalConfigAndDdlLoad) {
    auto originals = gdx::test::original_configs_dir();
    if (!originals) GTEST_SKIP() << gdx::test::kNoOriginals;
    const auto dir = *originals / "google_mybusiness";
    ws.sql("DROP TABLE google.mybusiness");
    auto ddl = gdx::test::run_gdx(
        {"sql", "-f", (dir / "dml/google.mybusiness.sql").string(), "--warehouse",
         ws.warehouse_uri(), "--log-dir", (ws.dir() / "logs").string()},
        ws.env());
    ASSERT_EQ(ddl.exit_code, 0) << ddl.err;
    config = json::parse(gdx::test::read_text_file(dir / "config.d/config_mybusiness.json"));
    config["bucket"] = ws.bucket();  // the one change: the test's bucket
    business_fake().set_scenario(gdx::testing::business_scenario(
        accounts(), {{kGroup, {{"generate", {{"count", 3}, {"first_id", 1000}}}}}}));
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    // start_date "" = today - 18 months + 1 day (2024-11-21), end_date "" = today - 3 days.
    EXPECT_EQ(count(), 3 * 543);
    EXPECT_EQ(ws.query("SELECT MIN(date) AS d FROM google.mybusiness")[0]["d"], "2024-11-21");
    EXPECT_EQ(metric_calls(), 3u);
}

}  // namespace
