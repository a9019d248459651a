// The Business Profile wrapper against the fake Google server: account and location paging,
// one metrics call per location in either answer layout, the parameter spellings the fake
// accepts, errors that fail a call.
#include <gtest/gtest.h>

#include "../../fakes/fake_google.hpp"
#include "google/business_profile.hpp"
#include "google/token_source.hpp"
#include "no_wait_backoff.hpp"

namespace gdx::google {
namespace {

using date::sys_days;
using nlohmann::json;
using testing::FakeGoogle;

const std::vector<std::string> kMetrics = {"CALL_CLICKS", "WEBSITE_CLICKS",
                                           "BUSINESS_DIRECTION_REQUESTS"};

sys_days day(int y, unsigned m, unsigned d) {
    return sys_days(date::year{y} / date::month{m} / date::day{d});
}

// 21 accounts: the personal one, then 20 groups; the group "accounts/205" has 150 locations.
json accounts() {
    json out =
        json::array({{{"name", "accounts/100"}, {"accountName", "Me"}, {"type", "PERSONAL"}}});
    for (int i = 1; i <= 20; ++i)
        out.push_back({{"name", "accounts/" + std::to_string(200 + i)},
                       {"accountNumber", std::to_string(5000 + i)},
                       {"type", "LOCATION_GROUP"}});
    return out;
}

json scenario(const json& extra = json::object()) {
    return testing::business_scenario(
        accounts(),
        {{"accounts/205", {{"generate", {{"count", 150}, {"first_id", 1000}}}}},
         {"accounts/206", json::array({{{"name", "locations/7"}, {"title", "A | B"}}})},
         {"accounts/207", json::array()}},
        extra);
}

struct BusinessProfileTest : ::testing::Test {
    static FakeGoogle& fake() {
        static FakeGoogle server(scenario());
        return server;
    }
    void SetUp() override {
        fake().set_scenario(scenario());
        fake().write_file("client_secrets.json", testing::client_secrets(fake()).dump());
        fake().write_file("credentials.dat",
                          testing::stored_credentials(fake(), "rt-business").dump());
    }
    void set_scenario(const json& s) { fake().set_scenario(s); }
    // A client of the fake; fresh per call so each test's token is its own.
    struct Client {
        explicit Client(FakeGoogle& fake)
            : secrets(ClientSecrets::load(fake.path("client_secrets.json"))),
              tokens(http, fake.path("credentials.dat"), secrets,
                     {"https://www.googleapis.com/auth/business.manage"}, GoogleSettings{},
                     test::no_wait_backoff()),
              api(http, tokens, test::no_wait_backoff()),
              gbp(api, {fake.url(), fake.url(), fake.url()}) {}
        http::HttpClient http;
        ClientSecrets secrets;
        TokenSource tokens;
        ApiClient api;
        BusinessProfile gbp;
    };
    // The values the fake serves for a location (its admin view).
    json served(const std::string& location, const std::string& start, const std::string& end) {
        return json::parse(testing::run_command("curl -sS '" + fake().url() +
                                                "/__admin/gbp_values?location=" + location +
                                                "&start=" + start + "&end=" + end + "'"));
    }
    // A GET of the fake with the client's token; the answer's status and body.
    std::pair<long, json> get(Client& c, const std::string& path_and_query) {
        http::HttpRequest req;
        req.method = "GET";
        req.url = fake().url() + path_and_query;
        req.headers = {"Authorization: Bearer " + c.tokens.access_token()};
        auto res = c.http.perform(req);
        return {res.status, json::parse(res.body, nullptr, false)};
    }
};

TEST_F(BusinessProfileTest, AccountsAreReadFromEveryPage) {
    Client c(fake());
    auto all = c.gbp.accounts();
    ASSERT_EQ(all.size(), 21u);
    EXPECT_EQ(all[0].type, "PERSONAL");
    EXPECT_EQ(all[20].name, "accounts/220");
    EXPECT_EQ(all[20].account_number, "5020");
    auto pages = fake().requests_to("/v1/accounts");
    ASSERT_EQ(pages.size(), 2u);
    EXPECT_EQ(pages[0]["query"]["pageSize"][0], "20");
    EXPECT_FALSE(pages[0]["query"].contains("pageToken"));
    EXPECT_TRUE(pages[1]["query"].contains("pageToken"));
}

TEST_F(BusinessProfileTest, LocationsAreReadFromEveryPageWithNameAndTitleOnly) {
    Client c(fake());
    auto locations = c.gbp.locations("accounts/205");
    ASSERT_EQ(locations.size(), 150u);
    EXPECT_EQ(locations[0].name, "locations/1000");
    EXPECT_EQ(locations[0].title, "Service BC Centre 1000");
    EXPECT_EQ(locations[149].name, "locations/1149");
    auto pages = fake().requests_to("/locations");
    ASSERT_EQ(pages.size(), 2u);  // 100 + 50: the original read only the first 100
    for (const auto& p : pages) {
        EXPECT_EQ(p["query"]["readMask"][0], "name,title");
        EXPECT_EQ(p["query"]["pageSize"][0], "100");
    }
    EXPECT_EQ(c.gbp.locations("accounts/207").size(), 0u);  // no `locations` member at all
    try {
        c.gbp.locations("accounts/999");
        FAIL() << "no ApiError";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 404);
    }
}

TEST_F(BusinessProfileTest, AllMetricsOfALocationInOneCallEqualTheServedValues) {
    for (bool split : {false, true}) {
        SCOPED_TRACE(split ? "one outer element per metric" : "one outer element");
        set_scenario(scenario({{"split_outer", split}}));  // forgets the tokens it gave out
        SetUp();
        set_scenario(scenario({{"split_outer", split}}));
        Client c(fake());
        auto table =
            c.gbp.daily_metrics("locations/1003", kMetrics, day(2026, 4, 28), day(2026, 5, 3));
        auto calls = fake().requests_to(":fetchMultiDailyMetricsTimeSeries");
        ASSERT_EQ(calls.size(), 1u);
        EXPECT_EQ(calls[0]["query"]["dailyMetrics"], json(kMetrics));
        EXPECT_EQ(calls[0]["query"]["daily_range.start_date.month"][0], "4");
        EXPECT_EQ(calls[0]["query"]["daily_range.end_date.day"][0], "3");
        EXPECT_TRUE(table.warnings.empty());
        const json want = served("locations/1003", "2026-04-28", "2026-05-03");
        ASSERT_EQ(table.rows.size(), 6u);
        int zeros = 0;
        for (const auto& [d, values] : table.rows) {
            const std::string iso = date::format("%F", d);
            for (size_t i = 0; i < kMetrics.size(); ++i) {
                EXPECT_EQ(values[i], want[iso][kMetrics[i]].get<int64_t>()) << iso << kMetrics[i];
                zeros += values[i] == 0;
            }
        }
        EXPECT_GT(zeros, 0);  // some values were left out of the answer and read as 0
        fake().reset();
    }
}

TEST_F(BusinessProfileTest, AnswerReaderKeysOnTheMetricAndFillsGapsWithZero) {
    // Series out of request order, split unevenly; a date only one metric has; a repeat; a
    // metric that was not asked for; a metric missing entirely.
    const json answer = json::parse(R"({"multiDailyMetricTimeSeries": [
      {"dailyMetricTimeSeries": [
        {"dailyMetric": "WEBSITE_CLICKS", "timeSeries": {"datedValues": [
          {"date": {"year": 2026, "month": 5, "day": 1}, "value": "7"},
          {"date": {"year": 2026, "month": 5, "day": 2}},
          {"date": {"year": 2026, "month": 5, "day": 1}, "value": "99"}]}},
        {"dailyMetric": "BUSINESS_FOOD_ORDERS", "timeSeries": {"datedValues": [
          {"date": {"year": 2026, "month": 5, "day": 1}, "value": "5"}]}}]},
      {"dailyMetricTimeSeries": [
        {"dailyMetric": "CALL_CLICKS", "timeSeries": {"datedValues": [
          {"date": {"year": 2026, "month": 5, "day": 1}, "value": "3"},
          {"date": {"year": 2026, "month": 5, "day": 3}, "value": "12"}]}}]}]})");
    auto table = read_multi_daily_metrics(answer, kMetrics);
    ASSERT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(table.rows[day(2026, 5, 1)], (std::vector<int64_t>{3, 7, 0}));
    EXPECT_EQ(table.rows[day(2026, 5, 2)], (std::vector<int64_t>{0, 0, 0}));
    EXPECT_EQ(table.rows[day(2026, 5, 3)], (std::vector<int64_t>{12, 0, 0}));
    EXPECT_EQ(table.warnings.size(), 3u);  // the repeat, the extra metric, the missing one

    EXPECT_TRUE(read_multi_daily_metrics(json::object(), kMetrics).rows.empty());
    EXPECT_THROW(
        read_multi_daily_metrics(json::parse(R"({"multiDailyMetricTimeSeries": 3})"), kMetrics),
        ApiError);
    EXPECT_THROW(read_multi_daily_metrics(json::parse(R"({"multiDailyMetricTimeSeries": [
      {"dailyMetricTimeSeries": [{"dailyMetric": "CALL_CLICKS", "timeSeries": {"datedValues": [
        {"date": {"year": 2026, "month": 2, "day": 30}, "value": "1"}]}}]}]})"),
                                          kMetrics),
                 ApiError);
}

TEST_F(BusinessProfileTest, AnUnknownLocationFailsAtOnceAndServerErrorsAreRetried) {
    auto s = scenario({{"not_found", {"locations/1001"}}});
    s["faults"] = {{{"id", "busy"},
                    {"match", {{"path_regex", "locations/1002:fetchMulti"}, {"times", 2}}},
                    {"respond", {{"status", 503}, {"json", {{"error", {{"code", 503}}}}}}}}};
    set_scenario(s);
    Client c(fake());
    try {
        c.gbp.daily_metrics("locations/1001", kMetrics, day(2026, 5, 1), day(2026, 5, 3));
        FAIL() << "no ApiError";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 404);
        EXPECT_FALSE(e.retries_exhausted());
        EXPECT_EQ(e.kind(), ErrorKind::Target);
    }
    EXPECT_EQ(fake().requests_to("locations/1001").size(), 1u);  // a 404 is not retried
    auto table = c.gbp.daily_metrics("locations/1002", kMetrics, day(2026, 5, 1), day(2026, 5, 3));
    EXPECT_EQ(table.rows.size(), 3u);
    EXPECT_EQ(fake().requests_to("locations/1002").size(), 3u);
}

TEST_F(BusinessProfileTest, FakeTakesCamelCaseSnakeCaseAndMixedRangeParameters) {
    Client c(fake());
    const std::string base =
        "/v1/locations/1005:fetchMultiDailyMetricsTimeSeries?dailyMetrics=CALL_CLICKS";
    auto range = [](const std::string& range, const std::string& start, const std::string& end) {
        return "&" + range + "." + start + ".year=2026&" + range + "." + start + ".month=5&" +
               range + "." + start + ".day=1&" + range + "." + end + ".year=2026&" + range + "." +
               end + ".month=5&" + range + "." + end + ".day=4";
    };
    for (const auto& query : {range("dailyRange", "startDate", "endDate"),
                              range("daily_range", "start_date", "end_date"),
                              range("dailyRange", "start_date", "end_date")}) {
        auto [status, body] = get(c, base + query);
        ASSERT_EQ(status, 200) << query << body.dump();
        const auto& values = body["multiDailyMetricTimeSeries"][0]["dailyMetricTimeSeries"][0]
                                 ["timeSeries"]["datedValues"];
        EXPECT_EQ(values.size(), 4u) << query;  // every day of the range, zeros included
    }
    // The single-metric method, too.
    auto [status, body] =
        get(c, "/v1/locations/1005:getDailyMetricsTimeSeries?dailyMetric=CALL_CLICKS" +
                   range("daily_range", "start_date", "end_date"));
    ASSERT_EQ(status, 200) << body.dump();
    EXPECT_EQ(body["timeSeries"]["datedValues"].size(), 4u);
    // What the API refuses: a missing range part, start after end, a repeated or unknown metric,
    // more than 18 months.
    for (const auto& bad :
         {base + "&dailyRange.startDate.year=2026",
          base + range("dailyRange", "endDate", "startDate"),
          base + "&dailyMetrics=CALL_CLICKS" + range("dailyRange", "startDate", "endDate"),
          "/v1/locations/1005:fetchMultiDailyMetricsTimeSeries?dailyMetrics=NOPE" +
              range("dailyRange", "startDate", "endDate"),
          base + "&dailyRange.startDate.year=2024&dailyRange.startDate.month=1&dailyRange."
                 "startDate.day=1&dailyRange.endDate.year=2026&dailyRange.endDate.month=1&"
                 "dailyRange.endDate.day=1"}) {
        auto [code, answer] = get(c, bad);
        EXPECT_EQ(code, 400) << bad << answer.dump();
    }
}

TEST_F(BusinessProfileTest, FakeRefusesBadListingsAndAnswersTheRetiredApiWith404) {
    Client c(fake());
    EXPECT_EQ(get(c, "/v1/accounts/205/locations?pageSize=10").first, 400);  // no readMask
    EXPECT_EQ(get(c, "/v1/accounts/205/locations?readMask=name&pageSize=0").first, 400);
    EXPECT_EQ(get(c, "/v1/accounts/205/locations?readMask=name&pageSize=101").first, 400);
    EXPECT_EQ(get(c, "/v1/accounts?pageToken=garbage").first, 400);
    auto [status, page] = get(c, "/v1/accounts/205/locations?readMask=name");
    ASSERT_EQ(status, 200);
    EXPECT_EQ(page["locations"].size(), 10u);  // the default page size
    EXPECT_EQ(page["totalSize"], 150);
    EXPECT_FALSE(page["locations"][0].contains("title"));  // only the masked fields
    http::HttpRequest req;
    req.method = "POST";
    req.url = fake().url() + "/v4/accounts/205/locations:reportInsights";
    req.body = "{}";
    EXPECT_EQ(c.http.perform(req).status, 404);
}

}  // namespace
}  // namespace gdx::google
