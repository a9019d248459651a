// google-search end to end, on a directory + SQLite, under what can happen during a run:
// SIGINT, an access token that expires, compressed and chunked answers, Google's daily row cap.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "google_search_fixture.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;

// Inside the fixture's namespace, so that its names win over any file-local ones of another
// source compiled in the same unity batch.
namespace gdx::test::search {
namespace {

class GoogleSearchDuringRun : public GoogleSearch {};
INSTANTIATE_TEST_SUITE_P(Embedded, GoogleSearchDuringRun, ::testing::Values(Backend::Embedded),
                         [](const auto& info) { return backend_name(info.param); });

// SIGINT while a day of the second window is being fetched: the report is printed, exit 130,
// the first window stays loaded, nothing of the second is stored or loaded, the next site is not
// started; the next run fetches the interrupted window again.
TEST_P(GoogleSearchDuringRun, SigintLeavesTheWindowInFlightUnloadedAndTheNextRunFetchesIt) {
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-04-01"}},
                       {{"name", kDomain}, {"start_date_default", "2026-05-08"}}};
    scenario["faults"] = {{{"id", "slow"},
                           {"match",
                            {{"path_regex", "query$"},
                             {"body_contains", {{"startDate", "2026-05-05"}}},
                             {"nth", {1}}}},
                           {"respond", {{"delay_ms", 1000}}}}};
    fake().set_scenario(scenario);
    auto r =
        run({}, gdx::test::interrupt_when([this] { return !day_calls("2026-05-05").empty(); }));
    EXPECT_EQ(r.exit_code, 130) << r.err << r.out;
    EXPECT_NE(r.out.find("*** The run was interrupted (SIGINT) ***"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Derived table build not attempted."), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("not processed due to early exit:\n1: " + kWww2 + "\n2: " + kDomain),
              std::string::npos)
        << r.out;
    EXPECT_EQ(count(), 31 * 20);
    EXPECT_EQ(ws.query("SELECT MAX(date) AS d FROM google.googlesearch")[0]["d"], "2026-05-01");
    EXPECT_TRUE(day_calls("2026-05-06").empty());  // stopped before the next day
    EXPECT_EQ(search_calls("sc-domain"), 0u);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(ws.dir()))
        EXPECT_EQ(entry.path().filename().string().find("2026-05-02"), std::string::npos)
            << entry.path();

    fake().set_scenario(gdx::testing::google_scenario(sites()));
    auto again = run();
    ASSERT_EQ(again.exit_code, 0) << again.err << again.out;
    // Fetched again: both pages answered (a new scenario forgot the stored token: one 401 first).
    auto refetched = day_calls("2026-05-02");
    EXPECT_EQ(std::count_if(refetched.begin(), refetched.end(),
                            [](const json& c) { return c["status"] == 200; }),
              2);
    EXPECT_EQ(count("site = '" + kWww2 + "'"), 48 * 20);
    EXPECT_EQ(count("site = '" + kDomain + "'"), 3);
}

// Killed between storing a window and loading it (GDX_TEST_CRASH_AT=after_api_object), then run
// again a day later: its window would be a day longer, so its object would have another name and
// the first one would stay unloaded forever. The stored object is loaded first and the days after
// it are fetched: every day once, every stored object in the ledger and copied to good.
TEST_P(GoogleSearchDuringRun, AWindowStoredByAKilledRunIsLoadedByTheNextRun) {
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-05-01"}}};
    auto env_on = [&](const std::string& day) {
        auto e = env();
        e["GDX_TODAY"] = day;
        return e;
    };
    auto crashed = gdx::test::run_google_job(ws, "google-search", "search.json", config, [&] {
        auto e = env_on("2026-05-20");
        e["GDX_TEST_CRASH_AT"] = "after_api_object";
        return e;
    }());
    EXPECT_NE(crashed.exit_code, 0);
    const std::string stored = kPrefix + "googlesearch-www2.gov.bc.ca-2026-05-01-2026-05-18.csv";
    ASSERT_TRUE(ws.exists(ws.bucket(), stored));
    EXPECT_EQ(count(), 0);

    fake().set_clock("2026-05-21T12:00:00-07:00");
    auto r =
        gdx::test::run_google_job(ws, "google-search", "search.json", config, env_on("2026-05-21"));
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(count(), 19 * 20);  // 2026-05-01 .. 2026-05-19, each day once
    EXPECT_EQ(ws.query("SELECT count(DISTINCT date) AS c FROM google.googlesearch")[0]["c"], 19);
    const std::string next = kPrefix + "googlesearch-www2.gov.bc.ca-2026-05-19-2026-05-19.csv";
    for (const auto& key : {stored, next}) {
        EXPECT_TRUE(ws.exists(ws.bucket(), "processed/good/" + key)) << key;
        EXPECT_EQ(
            ws.query("SELECT count(*) AS c FROM gdx_ledger WHERE key = '" + key + "'")[0]["c"], 1)
            << key;
    }
    EXPECT_TRUE(day_calls("2026-05-02").size() == 2u);  // fetched once (the crashed run)
}

// A token that expires mid-run (the fake expires every token before the 5th and the 20th query):
// each expiry costs one 401, one refresh and one replay; the run completes. Without expiry a
// run makes one grant (LoadsEveryWindowThenASecondRunFetchesNothing).
TEST_P(GoogleSearchDuringRun, ATokenThatExpiresMidRunIsRefreshedOncePerExpiry) {
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-05-01"}}};
    scenario["faults"] = {{{"id", "expire"},
                           {"match", {{"path_regex", "query$"}, {"nth", {5, 20}}}},
                           {"respond", {{"expire_tokens", true}}}}};
    fake().set_scenario(scenario);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(count(), 18 * 20);
    auto grants = fake().requests_to("/token");
    ASSERT_EQ(grants.size(), 3u);  // the first grant and one refresh per expiry
    for (const auto& g : grants) {
        EXPECT_EQ(g["status"], 200);
        EXPECT_NE(g["body"].get<std::string>().find("grant_type=refresh_token"), std::string::npos);
    }
    auto calls = fake().requests_to("searchAnalytics");
    ASSERT_EQ(calls.size(), 18u * 2 + 2);
    for (size_t i : {4u, 19u}) {
        EXPECT_EQ(calls[i]["status"], 401);
        EXPECT_EQ(calls[i + 1]["body"], calls[i]["body"]);  // the same request, replayed
        EXPECT_EQ(calls[i + 1]["status"], 200);
    }
    EXPECT_EQ(calls[5]["headers"]["authorization"], "fake-at-2");
    EXPECT_EQ(calls.back()["headers"]["authorization"], "fake-at-3");
    auto saved = json::parse(std::ifstream(ws.dir() / "credentials.dat"));
    EXPECT_EQ(saved["access_token"], "fake-at-3");
}

// Answers compressed (Content-Encoding: gzip), chunked, or both give exactly the rows of a
// plain answer: each day's lines equal the plain day's lines but for the date.
TEST_P(GoogleSearchDuringRun, GzipAndChunkedAnswersGiveTheSameRowsAsPlainOnes) {
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-05-15"}}};
    scenario["search_console"]["sites"][kWww2] = {{"every_day", {{"generate", {{"count", 500}}}}}};
    const std::map<std::string, json> framing = {
        {"2026-05-15", {{"gzip", true}}},
        {"2026-05-16", {{"chunked", true}}},
        {"2026-05-17", {{"gzip", true}, {"chunked", true}}}};  // 2026-05-18: plain
    for (const auto& [day, respond] : framing)
        scenario["faults"].push_back(
            {{"id", day},
             {"match", {{"path_regex", "query$"}, {"body_contains", {{"startDate", day}}}}},
             {"respond", respond}});
    fake().set_scenario(scenario);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(count(), 4 * 500);
    for (const auto& [day, respond] : framing) {
        auto calls = day_calls(day);
        ASSERT_EQ(calls.size(), 2u) << day;
        json sent = json::object();
        if (respond.contains("gzip")) sent["content-encoding"] = "gzip";
        if (respond.contains("chunked")) sent["transfer-encoding"] = "chunked";
        EXPECT_EQ(calls[0]["response_framing"], sent) << day;
    }
    const std::string object =
        ws.read(ws.bucket(), kPrefix + "googlesearch-www2.gov.bc.ca-2026-05-15-2026-05-18.csv");
    std::map<std::string, std::vector<std::string>> lines_of_day;
    std::istringstream in(object);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        const std::string day = line.substr(kWww2.size() + 1, 10);
        line.replace(kWww2.size() + 1, 10, "DAY");
        lines_of_day[day].push_back(line);
    }
    ASSERT_EQ(lines_of_day["2026-05-18"].size(), 500u);
    for (const auto& [day, respond] : framing)
        EXPECT_EQ(lines_of_day[day], lines_of_day["2026-05-18"]) << day;
}

// Google's cap of 50,000 rows per day: a day with more is served (and loaded) up to the cap, in
// pages of 25,000, and the log says the day was cut; a day of exactly 25,000 rows costs two
// requests, one of exactly 50,000 three.
TEST_P(GoogleSearchDuringRun, ADayStopsAtTheDailyCapAndPagesBy25000Rows) {
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-05-16"}}};
    auto generate = [](int n) { return json{{"generate", {{"count", n}}}}; };
    scenario["search_console"]["sites"][kWww2] = {{"days",
                                                   {{"2026-05-16", generate(25000)},
                                                    {"2026-05-17", generate(50000)},
                                                    {"2026-05-18", generate(60000)}}}};
    scenario["log_bodies"] = true;
    fake().set_scenario(scenario);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(count("date = '2026-05-16'"), 25000);
    EXPECT_EQ(count("date = '2026-05-17'"), 50000);
    EXPECT_EQ(count("date = '2026-05-18'"), 50000);
    auto start_rows = [&](const std::string& day) {
        std::vector<int> out;
        for (const auto& c : day_calls(day))
            out.push_back(json::parse(c["body"].get<std::string>())["startRow"]);
        return out;
    };
    EXPECT_EQ(start_rows("2026-05-16"), (std::vector<int>{0, 25000}));
    EXPECT_EQ(start_rows("2026-05-17"), (std::vector<int>{0, 25000, 50000}));
    EXPECT_EQ(start_rows("2026-05-18"), (std::vector<int>{0, 25000, 50000}));
    const std::string log = log_text();
    EXPECT_EQ(log.find("2026-05-16: 25000 rows, Search Console's daily cap"), std::string::npos);
    EXPECT_NE(log.find(kWww2 + " 2026-05-18: 50000 rows, Search Console's daily cap"),
              std::string::npos)
        << log;
}

}  // namespace
}  // namespace gdx::test::search
