// The token grants and the HTTP policy against the fake Google server on loopback.
#include <sys/stat.h>

#include <fstream>
#include <thread>

#include <date/date.h>

#include <gtest/gtest.h>

#include "../../fakes/fake_google.hpp"
#include "config/json_file.hpp"
#include "google/api_client.hpp"
#include "google/jwt.hpp"
#include "google/search_console.hpp"
#include "google/token_source.hpp"
#include "no_wait_backoff.hpp"
#include "util/redact.hpp"

namespace gdx::google {
namespace {

using nlohmann::json;
using testing::FakeGoogle;

const std::string kSite = "https://www2.gov.bc.ca/";

json sites() {
    return {{kSite,
             {{"days",
               {{"2026-05-10", {{"generate", {{"count", 45000}}}}},
                {"2026-05-11", {{"generate", {{"count", 3}}}}}}}}},
            {"sc-domain:unverified.example", {{"permission", "none"}}}};
}

struct Fixture : ::testing::Test {
    FakeGoogle& fake() {
        static FakeGoogle server(testing::google_scenario(sites()));
        return server;
    }
    void SetUp() override {
        fake().set_scenario(testing::google_scenario(sites()));
        secrets_path = fake().path("client_secrets.json");
        creds_path = fake().path("credentials.dat");
        fake().write_file("client_secrets.json", testing::client_secrets(fake()).dump());
        write_credentials("rt-good");
        secrets = ClientSecrets::load(secrets_path);
    }
    void write_credentials(const std::string& refresh_token) {
        fake().write_file("credentials.dat",
                          testing::stored_credentials(fake(), refresh_token).dump());
    }
    void set_faults(const json& faults) {
        auto s = testing::google_scenario(sites());
        s["faults"] = faults;
        fake().set_scenario(s);
    }
    TokenSource tokens(const std::string& file = {}) {
        return TokenSource(http, file.empty() ? creds_path : file, secrets,
                           {"https://www.googleapis.com/auth/webmasters.readonly"}, settings(),
                           test::no_wait_backoff());
    }
    GoogleSettings settings() {
        GoogleSettings s;
        s.searchconsole_base = fake().url();
        return s;
    }
    json day_query(TokenSource& t, const std::string& site, const std::string& day) {
        ApiClient api(http, t, test::no_wait_backoff());
        return api.call("POST", search_analytics_url(fake().url(), site),
                        search_analytics_body(day, 0), "test query");
    }

    http::HttpClient http;
    std::string secrets_path, creds_path;
    ClientSecrets secrets;
};

TEST_F(Fixture, RefreshGrantIsWrittenBackAtomicallyKeepingUnknownFields) {
    auto doc = testing::stored_credentials(fake());
    doc["x_custom"] = "kept";
    fake().write_file("credentials.dat", doc.dump());
    ::chmod(creds_path.c_str(), 0644);
    auto t = tokens();
    EXPECT_EQ(t.access_token(), "fake-at-1");
    EXPECT_EQ(t.access_token(), "fake-at-1");  // reused, no second grant
    EXPECT_EQ(t.grants(), 1);
    auto saved = config::load_json_file(creds_path);
    EXPECT_EQ(saved["access_token"], "fake-at-1");
    EXPECT_EQ(saved["x_custom"], "kept");
    EXPECT_EQ(saved["invalid"], false);
    EXPECT_TRUE(saved["token_expiry"].is_string());
    EXPECT_EQ(saved["token_response"]["expires_in"], 3599);
    struct stat st {};
    ASSERT_EQ(::stat(creds_path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto grants = fake().requests_to("/token");
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_NE(grants[0]["body"].get<std::string>().find("grant_type=refresh_token"),
              std::string::npos);

    // The next run reuses the stored, still valid token: no grant at all.
    auto again = tokens();
    EXPECT_EQ(again.access_token(), "fake-at-1");
    EXPECT_EQ(again.grants(), 0);
}

// A stored token is used while it is good, and a long run replaces it before the stored
// expiry (with the same one-minute margin), not after a request fails with 401.
TEST_F(Fixture, StoredTokenIsReplacedBeforeItsStoredExpiry) {
    using namespace std::chrono;
    const auto expiry = ceil<seconds>(system_clock::now()) + seconds(61);
    auto doc = testing::stored_credentials(fake());
    doc["access_token"] = "stored-at";
    doc["token_expiry"] = date::format("%Y-%m-%dT%H:%M:%SZ", expiry);
    fake().write_file("credentials.dat", doc.dump());
    auto t = tokens();
    EXPECT_EQ(t.access_token(), "stored-at");
    EXPECT_EQ(t.grants(), 0);
    std::this_thread::sleep_until(expiry - seconds(59));  // within a minute of the expiry
    EXPECT_EQ(t.access_token(), "fake-at-1");
    EXPECT_EQ(t.grants(), 1);
}

// GDX_TOKEN_URI (settings.token_uri) wins over the token URI the credential file names.
TEST_F(Fixture, TokenUriSettingOverridesTheFiles) {
    auto doc = testing::stored_credentials(fake());
    doc["token_uri"] = "http://127.0.0.1:9/token";  // nothing listens there
    fake().write_file("credentials.dat", doc.dump());
    auto s = settings();
    s.token_uri = fake().token_uri();
    TokenSource t(http, creds_path, secrets,
                  {"https://www.googleapis.com/auth/webmasters.readonly"}, s,
                  test::no_wait_backoff());
    EXPECT_EQ(t.access_token(), "fake-at-1");
    EXPECT_EQ(fake().requests_to("/token").size(), 1u);
}

TEST_F(Fixture, RevokedRefreshTokenStopsWithAdviceAndMarksTheStoreInvalid) {
    write_credentials("rt-revoked");
    auto t = tokens();
    try {
        t.access_token();
        FAIL() << "no AuthError";
    } catch (const AuthError& e) {
        EXPECT_TRUE(e.revoked);
        std::string msg = util::redact(e.what());
        EXPECT_NE(msg.find("gdx google-auth"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("rt-revoked"), std::string::npos) << msg;
        EXPECT_EQ(msg.find("csecret"), std::string::npos) << msg;
    }
    EXPECT_EQ(config::load_json_file(creds_path)["invalid"], true);
}

TEST_F(Fixture, WrongClientSecretIsPermanent) {
    auto doc = testing::stored_credentials(fake());
    doc["client_secret"] = "wrong";
    fake().write_file("credentials.dat", doc.dump());
    auto t = tokens();
    try {
        t.access_token();
        FAIL() << "no AuthError";
    } catch (const AuthError& e) {
        EXPECT_FALSE(e.revoked);
        EXPECT_NE(std::string(e.what()).find("invalid_client"), std::string::npos);
    }
    EXPECT_EQ(fake().requests_to("/token").size(), 1u);
}

TEST_F(Fixture, ExpiredTokenIsRefreshedOnceAndTheRequestReplayed) {
    set_faults({{{"id", "expire"},
                 {"match", {{"path_regex", "searchAnalytics/query$"}, {"nth", {3}}}},
                 {"respond", {{"expire_tokens", true}}}}});
    auto t = tokens();
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(day_query(t, kSite, "2026-05-11").contains("rows"));
    auto log = fake().requests();
    std::vector<std::string> seen;
    for (const auto& r : log)
        seen.push_back(r["path"].get<std::string>() + " " + std::to_string(r["status"].get<int>()));
    ASSERT_EQ(log.size(), 6u) << log.dump(1);
    EXPECT_EQ(log[3]["status"], 401);
    EXPECT_EQ(log[4]["path"], "/token");
    EXPECT_EQ(log[5]["status"], 200);
    EXPECT_EQ(log[5]["headers"]["authorization"], "fake-at-2");
    EXPECT_EQ(log[5]["body"], log[3]["body"]);
    EXPECT_EQ(config::load_json_file(creds_path)["access_token"], "fake-at-2");
}

TEST_F(Fixture, AtMostTwoRefreshRoundsThenTheCallFails) {
    set_faults({{{"id", "always-401"},
                 {"match", {{"path_regex", "searchAnalytics/query$"}}},
                 {"respond", {{"status", 401}, {"json", {{"error", {{"code", 401}}}}}}}}});
    auto t = tokens();
    try {
        day_query(t, kSite, "2026-05-11");
        FAIL() << "no ApiError";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 401);
    }
    EXPECT_EQ(fake().requests_to("searchAnalytics").size(), 3u);
    EXPECT_EQ(fake().requests_to("/token").size(), 3u);  // the first grant + 2 refreshes
}

TEST_F(Fixture, RetryAfterSecondsAndHttpDateAreHonoured) {
    auto in_two_seconds =
        std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) +
        std::chrono::seconds(2);
    set_faults({{{"id", "429"},
                 {"match", {{"path_regex", "query$"}, {"times", 1}}},
                 {"respond",
                  {{"status", 429},
                   {"headers", {{"Retry-After", "1"}}},
                   {"json", {{"error", {{"code", 429}, {"message", "Quota exceeded"}}}}}}}},
                {{"id", "503"},
                 {"match", {{"path_regex", "query$"}, {"times", 1}}},
                 {"respond",
                  {{"status", 503},
                   {"headers",
                    {{"Retry-After", date::format("%a, %d %b %Y %H:%M:%S GMT", in_two_seconds)}}},
                   {"json", {{"error", {{"code", 503}}}}}}}}});
    auto t = tokens();
    t.access_token();
    BackoffPolicy real;  // scale 1: the waits really happen
    real.retry.base = std::chrono::milliseconds(1);
    ApiClient api(http, t, real);
    auto start = std::chrono::steady_clock::now();
    auto answer = api.call("POST", search_analytics_url(fake().url(), kSite),
                           search_analytics_body("2026-05-11", 0), "test");
    auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(answer["rows"].size(), 3u);
    EXPECT_GE(waited, std::chrono::milliseconds(1000));           // Retry-After: 1
    EXPECT_GE(std::chrono::system_clock::now(), in_two_seconds);  // Retry-After: <date>
    EXPECT_EQ(fake().requests_to("searchAnalytics").size(), 3u);
}

// The one table of what a Google answer means for the run.
TEST(ClassifyStatus, TransientOnlyWhereAnotherAttemptMayPass) {
    const std::pair<long, ErrorKind> table[] = {
        {0, ErrorKind::Transient},   {408, ErrorKind::Transient}, {429, ErrorKind::Transient},
        {500, ErrorKind::Transient}, {503, ErrorKind::Transient}, {400, ErrorKind::Target},
        {401, ErrorKind::Target},    {403, ErrorKind::Target},    {404, ErrorKind::Target},
    };
    for (const auto& [status, kind] : table)
        EXPECT_STREQ(kind_name(classify_status(status)), kind_name(kind)) << "HTTP " << status;
}

TEST_F(Fixture, ForbiddenSiteIsNotRetried) {
    auto t = tokens();
    try {
        day_query(t, "sc-domain:unverified.example", "2026-05-11");
        FAIL() << "no ApiError";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 403);
        EXPECT_FALSE(e.retries_exhausted());
        EXPECT_EQ(e.kind(), ErrorKind::Target);
        EXPECT_NE(std::string(e.what()).find("sufficient permission"), std::string::npos);
    }
    EXPECT_EQ(fake().requests_to("searchAnalytics").size(), 1u);
}

// A token of another scope (Business Profile) on Search Console: 403, final, not retried.
TEST_F(Fixture, TokenOfAnotherScopeIsForbiddenAndNotRetried) {
    write_credentials("rt-business");
    auto t = tokens();
    try {
        day_query(t, kSite, "2026-05-11");
        FAIL() << "no ApiError";
    } catch (const ApiError& e) {
        EXPECT_EQ(e.status, 403);
        EXPECT_NE(std::string(e.what()).find("insufficient authentication scopes"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_EQ(fake().requests_to("searchAnalytics").size(), 1u);
}

TEST_F(Fixture, MalformedEmptyAndHtmlAnswersAreRetried) {
    set_faults({{{"id", "malformed"},
                 {"match", {{"path_regex", "query$"}, {"nth", {1}}}},
                 {"respond", {{"status", 200}, {"body_raw", "{\"rows\": [ {\"keys\": [\"2026-"}}}},
                {{"id", "empty"},
                 {"match", {{"path_regex", "query$"}, {"nth", {2}}}},
                 {"respond", {{"status", 200}, {"body_raw", ""}}}},
                {{"id", "html"},
                 {"match", {{"path_regex", "query$"}, {"nth", {3}}}},
                 {"respond",
                  {{"status", 502},
                   {"body_raw", "<html>Bad Gateway</html>"},
                   {"content_type", "text/html"}}}},
                {{"id", "closed"},
                 {"match", {{"path_regex", "query$"}, {"nth", {4}}}},
                 {"respond", {{"close_without_response", true}}}},
                {{"id", "truncated"},
                 {"match", {{"path_regex", "query$"}, {"nth", {5}}}},
                 {"respond", {{"truncate_after_bytes", 10}}}}});
    auto t = tokens();
    EXPECT_EQ(day_query(t, kSite, "2026-05-11")["rows"].size(), 3u);
    auto calls = fake().requests_to("searchAnalytics");
    ASSERT_EQ(calls.size(), 6u);
    EXPECT_EQ(calls[0]["matched_fault"], "malformed");
    EXPECT_EQ(calls[4]["matched_fault"], "truncated");
    EXPECT_TRUE(calls[5]["matched_fault"].is_null());
}

TEST_F(Fixture, TransientFailuresGiveUpAfterEightAttempts) {
    set_faults({{{"id", "500"},
                 {"match", {{"path_regex", "query$"}}},
                 {"respond",
                  {{"status", 500},
                   {"json", {{"error", {{"code", 500}, {"message", "Backend Error"}}}}}}}}});
    auto t = tokens();
    try {
        day_query(t, kSite, "2026-05-11");
        FAIL() << "no ApiError";
    } catch (const ApiError& e) {
        EXPECT_TRUE(e.retries_exhausted());
        EXPECT_EQ(e.retry_attempts(), 8);
        EXPECT_NE(std::string(e.what()).find("Backend Error"), std::string::npos);
    }
    EXPECT_EQ(fake().requests_to("searchAnalytics").size(), 8u);
}

// An answer slower than the client's timeout is a transport failure: retried like a 503.
TEST_F(Fixture, TimeoutIsRetried) {
    set_faults({{{"id", "slow"},
                 {"match", {{"path_regex", "query$"}, {"nth", {1}}}},
                 {"respond", {{"delay_ms", 1500}}}}});
    auto t = tokens();
    t.access_token();
    http::HttpClientOptions options;
    options.total_timeout_s = 1;
    http::HttpClient impatient(options);
    ApiClient api(impatient, t, test::no_wait_backoff());
    auto answer = api.call("POST", search_analytics_url(fake().url(), kSite),
                           search_analytics_body("2026-05-11", 0), "test");
    EXPECT_EQ(answer["rows"].size(), 3u);
    auto calls = fake().requests_to("searchAnalytics");
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0]["matched_fault"], "slow");
}

// Google's daily cap: a day never has more than 50,000 rows, so paging stops at the third
// request; a day of exactly 25,000 rows costs two.
TEST_F(Fixture, PagingStopsAtTheDailyCap) {
    auto s = testing::google_scenario({{kSite,
                                        {{"days",
                                          {{"2026-05-10", {{"generate", {{"count", 60000}}}}},
                                           {"2026-05-11", {{"generate", {{"count", 25000}}}}}}}}}});
    fake().set_scenario(s);
    auto t = tokens();
    ApiClient api(http, t, test::no_wait_backoff());
    SearchConsole sc(api, fake().url(), 0);
    std::vector<size_t> pages;
    auto on_rows = [&](const json& r) { pages.push_back(r.size()); };
    EXPECT_EQ(sc.fetch_day(kSite, "2026-05-10", on_rows), kSearchDailyRowCap);
    EXPECT_EQ(sc.fetch_day(kSite, "2026-05-11", on_rows), 25000u);
    EXPECT_EQ(pages, (std::vector<size_t>{25000, 25000, 25000}));
    EXPECT_EQ(fake().requests_to("searchAnalytics").size(), 3u + 2u);
}

TEST_F(Fixture, PagingRequestsEveryPageUntilOneWithoutRows) {
    auto t = tokens();
    ApiClient api(http, t, test::no_wait_backoff());
    SearchConsole sc(api, fake().url(), 0);
    std::vector<size_t> pages;
    uint64_t rows =
        sc.fetch_day(kSite, "2026-05-10", [&](const json& r) { pages.push_back(r.size()); });
    EXPECT_EQ(rows, 45000u);
    EXPECT_EQ(pages, (std::vector<size_t>{25000, 20000}));
    auto calls = fake().requests_to("searchAnalytics");
    ASSERT_EQ(calls.size(), 3u);
    std::vector<int> start_rows;
    for (const auto& c : calls)
        start_rows.push_back(json::parse(c["body"].get<std::string>())["startRow"]);
    EXPECT_EQ(start_rows, (std::vector<int>{0, 25000, 50000}));
    EXPECT_EQ(calls[0]["path"],
              "/webmasters/v3/sites/https%3A%2F%2Fwww2.gov.bc.ca%2F/searchAnalytics/query");
    EXPECT_EQ(
        calls[0]["body"],
        R"({"aggregationType":"auto","startDate":"2026-05-10","endDate":"2026-05-10",)"
        R"("dimensions":["date","query","country","device","page"],"rowLimit":25000,"startRow":0})");
}

TEST_F(Fixture, ShortMiddlePageDoesNotStopPaging) {
    set_faults({{{"id", "short"},
                 {"match", {{"path_regex", "query$"}, {"body_contains", {{"startRow", 0}}}}},
                 {"respond", {{"truncate_rows", 5}}}}});
    auto t = tokens();
    ApiClient api(http, t, test::no_wait_backoff());
    SearchConsole sc(api, fake().url(), 0);
    uint64_t rows = sc.fetch_day(kSite, "2026-05-10", [](const json&) {});
    EXPECT_EQ(rows, 5u + 20000u);
}

struct ServiceAccount : Fixture {
    void SetUp() override {
        Fixture::SetUp();
        pem = testing::new_service_account_key(fake());
        fake().set_scenario(testing::with_service_account(testing::google_scenario(sites())));
    }
    std::string key_file(const std::string& email) {
        fake().write_file("sa.json", testing::service_account_key(fake(), email, pem).dump());
        return fake().path("sa.json");
    }
    // header.claims signed with the registered key by the openssl CLI (not by gdx's signer).
    std::string hand_made_jwt(const json& claims) {
        std::string input =
            base64url(R"({"alg":"RS256","typ":"JWT"})") + "." + base64url(claims.dump());
        fake().write_file("jwt.txt", input);
        testing::run_command("openssl dgst -sha256 -sign " + fake().path("sa.pem") + " -out " +
                             fake().path("jwt.sig") + " " + fake().path("jwt.txt"));
        std::ifstream in(fake().path("jwt.sig"), std::ios::binary);
        return input + "." + base64url(std::string((std::istreambuf_iterator<char>(in)), {}));
    }
    // The fake's answer to a JWT bearer grant with `assertion`.
    http::HttpResponse post_assertion(const std::string& assertion) {
        http::HttpRequest req;
        req.method = "POST";
        req.url = fake().token_uri();
        req.headers = {"Content-Type: application/x-www-form-urlencoded"};
        req.body = form_encode({{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                                {"assertion", assertion}});
        return http.perform(req);
    }
    std::string pem;
};

TEST_F(ServiceAccount, SignedJwtIsAccepted) {
    auto t = tokens(key_file(testing::kServiceAccountEmail));
    EXPECT_TRUE(t.service_account());
    EXPECT_TRUE(day_query(t, kSite, "2026-05-11").contains("rows"));
    auto grant = fake().requests_to("/token").at(0);
    EXPECT_EQ(grant["status"], 200);
    EXPECT_NE(grant["body"].get<std::string>().find("jwt-bearer"), std::string::npos);
}

TEST_F(ServiceAccount, UnknownAccountOrBadSignatureIsRefused) {
    auto t = tokens(key_file("other@p.iam.gserviceaccount.com"));
    EXPECT_THROW(t.access_token(), AuthError);
    // A key that is not the registered one: the signature does not verify.
    pem = testing::new_service_account_key(fake(), false);
    auto bad = tokens(key_file(testing::kServiceAccountEmail));
    try {
        bad.access_token();
        FAIL() << "no AuthError";
    } catch (const AuthError& e) {
        EXPECT_NE(std::string(e.what()).find("Invalid JWT Signature"), std::string::npos)
            << e.what();
    }
}

// gdx signs with the local clock; a token endpoint whose clock is far off refuses the assertion
// (expired, or issued in the future) and the run stops with Google's description.
TEST_F(ServiceAccount, AssertionOutsideTheEndpointsTimeframeIsRefused) {
    for (auto skew : {std::chrono::hours(2), -std::chrono::hours(1)}) {
        fake().set_clock(testing::fake_clock_now(skew));
        auto t = tokens(key_file(testing::kServiceAccountEmail));
        try {
            t.access_token();
            FAIL() << "no AuthError, skew " << skew.count() << " h";
        } catch (const AuthError& e) {
            EXPECT_NE(std::string(e.what()).find("short-lived token"), std::string::npos)
                << e.what();
        }
    }
    EXPECT_EQ(fake().requests_to("/token").size(), 2u);  // refused for good: no retry
}

// The fake's own checks of the JWT grant, with assertions gdx would never make.
TEST_F(ServiceAccount, FakeRefusesLongLivedOrMisaddressedAssertions) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                         .time_since_epoch()
                         .count();
    json claims{{"iss", testing::kServiceAccountEmail},
                {"scope", "https://www.googleapis.com/auth/webmasters.readonly"},
                {"aud", fake().token_uri()},
                {"iat", now},
                {"exp", now + 3600}};
    auto ok = post_assertion(hand_made_jwt(claims));
    EXPECT_EQ(ok.status, 200) << ok.body;

    auto long_lived = claims;
    long_lived["exp"] = now + 3601;
    auto r = post_assertion(hand_made_jwt(long_lived));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body)["error"], "invalid_grant");
    EXPECT_NE(r.body.find("short-lived token"), std::string::npos) << r.body;

    auto elsewhere = claims;
    elsewhere["aud"] = "https://example.com/token";
    r = post_assertion(hand_made_jwt(elsewhere));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(json::parse(r.body)["error"], "invalid_grant");
    EXPECT_NE(r.body.find("audience"), std::string::npos) << r.body;

    claims["aud"] = "https://oauth2.googleapis.com/token";  // Google's own audience also binds
    EXPECT_EQ(post_assertion(hand_made_jwt(claims)).status, 200);
}

TEST(CredentialFiles, MissingOrMalformedFilesAreConfigErrors) {
    EXPECT_THROW(ClientSecrets::load("/nonexistent/secrets.json"), ConfigError);
    std::string dir = testing::make_temp_dir("gcreds");
    std::ofstream(dir + "/bad.json") << "{\"installed\": {\"client_id\": \"x\"}";
    EXPECT_THROW(ClientSecrets::load(dir + "/bad.json"), ConfigError);
    std::ofstream(dir + "/nosecret.json") << R"({"installed": {"client_id": "x"}})";
    try {
        ClientSecrets::load(dir + "/nosecret.json");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("client_secret"), std::string::npos);
    }
    std::ofstream(dir + "/norefresh.dat") << R"({"client_id": "x", "client_secret": "y"})";
    EXPECT_THROW(StoredCredentials::load(dir + "/norefresh.dat"), ConfigError);
}

}  // namespace
}  // namespace gdx::google
