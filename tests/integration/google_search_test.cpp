// End-to-end: gdx google-search against the fake Google server, on a directory + SQLite and on
// S3 (moto) + PostgreSQL: rows in the table, objects in the bucket, the post-load DML, what a
// second run does, failing sites, credentials.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
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

const std::string kWww2 = "https://www2.gov.bc.ca/";
const std::string kDomain = "sc-domain:gov.bc.ca";
const std::string kPrefix = "client/google_gdx/";
const std::string kRejected = "sc-domain:rejected.example";  // every query 401 (a fault)

FakeGoogle& fake() {
    static FakeGoogle server(gdx::testing::google_scenario());
    return server;
}

// Rows with everything the object format must carry: stripped | and \, a query that is only
// "-", quotes, non-ASCII, a page longer than the column, numbers in every spelling.
json special_rows() {
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

json sites() {
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
INSTANTIATE_TEST_SUITE_P(Backends, GoogleSearch,
                         ::testing::Values(Backend::Embedded, Backend::S3Postgres),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(GoogleSearch, LoadsEveryWindowThenASecondRunFetchesNothing) {
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    // www2: 2026-04-01 .. 2026-05-18 (today - 2) in windows of 31 and 17 days, 20 rows a day.
    EXPECT_EQ(count("site = '" + kWww2 + "'"), 48 * 20);
    EXPECT_EQ(count("site = '" + kDomain + "'"), 3);
    EXPECT_EQ(search_calls("www2"), 48u * 2);  // each day: one page with rows, one without
    const std::string first = kPrefix + "googlesearch-www2.gov.bc.ca-2026-04-01-2026-05-01.csv";
    const std::string second = kPrefix + "googlesearch-www2.gov.bc.ca-2026-05-02-2026-05-18.csv";
    const std::string domain =
        kPrefix + "googlesearch-sc-domain:gov.bc.ca-2026-05-08-2026-05-10.csv";
    for (const auto& key : {first, second, domain}) {
        EXPECT_TRUE(ws.exists(ws.bucket(), key)) << key;
        EXPECT_TRUE(ws.exists(ws.bucket(), "processed/good/" + key)) << key;
    }
    // The object: a real header line, then every row (the original lost the first one).
    const std::string object = ws.read(ws.bucket(), first);
    EXPECT_TRUE(object.starts_with(
        "site|date|query|country|device|page|position|clicks|ctr|impressions\n"
        "https://www2.gov.bc.ca/|2026-04-01|q0|can|DESKTOP|https://www2.gov.bc.ca/p0|1.0|20|"
        "0.6666666666666666|30\n"))
        << object.substr(0, 300);
    EXPECT_EQ(std::count(object.begin(), object.end(), '\n'), 31 * 20 + 1);
    const std::string special = ws.read(ws.bucket(), domain);
    EXPECT_NE(special.find("|2026-05-10|abc|can|MOBILE|https://www2.gov.bc.ca/x|3|12|1e-05|100\n"),
              std::string::npos)
        << special;
    EXPECT_NE(special.find("|-|usa|DESKTOP|https://www2.gov.bc.ca/\"q\"|2.5|0|0.0|7\n"),
              std::string::npos)
        << special;

    auto rows = ws.query(
        "SELECT query, page, position, clicks, ctr, impressions FROM google.googlesearch "
        "WHERE site = '" +
        kDomain + "' ORDER BY clicks DESC, impressions");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]["query"], "abc");
    EXPECT_EQ(rows[0]["clicks"], 12);
    EXPECT_DOUBLE_EQ(rows[0]["ctr"].get<double>(), 1e-05);
    EXPECT_EQ(rows[1]["query"], "où est mon chèque");
    EXPECT_EQ(rows[1]["page"].get<std::string>().size(), 2047u);  // cut as TRUNCATECOLUMNS did
    EXPECT_EQ(rows[2]["query"], "-");  // a text field that is exactly "-" stays "-"
    EXPECT_EQ(rows[2]["page"], "https://www2.gov.bc.ca/\"q\"");

    // The post-load DML ran once, after the loads.
    auto dt = ws.query("SELECT count(*) AS c, SUM(clicks) AS s FROM cmslite.google_dt");
    EXPECT_EQ(dt[0]["c"], 48 + 1);
    EXPECT_NE(r.out.find("Derived table build started at:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Sites to process: 2\nSuccessful API calls: 2\nFailed API calls: 0\n"
                         "Failed loads to RedShift: 0\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("3: s3://" + ws.bucket() + "/" + domain), std::string::npos) << r.out;
    EXPECT_EQ(fake().requests_to("/token").size(), 1u);  // one grant for the whole run

    // Second run: www2 is current, so nothing is fetched for it; the domain property resumes
    // after its last day with data (2026-05-10) and finds the 8 days after it empty, as the
    // original did. Nothing is loaded and nothing printed.
    fake().reset();
    auto again = run();
    ASSERT_EQ(again.exit_code, 0) << again.err << again.out;
    EXPECT_EQ(search_calls("www2"), 0u);
    EXPECT_EQ(search_calls("sc-domain"), 8u);
    EXPECT_EQ(fake().requests_to("/token").size(), 0u);  // the stored token is still valid
    EXPECT_EQ(again.out, "");
    EXPECT_EQ(count(), 48 * 20 + 3);
}

TEST_P(GoogleSearch, AFailingSiteLeavesTheOthersLoaded) {
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-05-15"}},
                       {{"name", "sc-domain:unverified.example"}},
                       {{"name", kRejected}, {"start_date_default", "2026-05-10"}},
                       {{"name", kDomain}, {"start_date_default", "2026-05-10"}}};
    scenario["faults"] = {{{"id", "401"},
                           {"match", {{"path_regex", "rejected"}}},
                           {"respond", {{"status", 401}, {"json", {{"error", {{"code", 401}}}}}}}}};
    fake().set_scenario(scenario);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;  // the post-load DML still ran
    EXPECT_EQ(count("site = '" + kWww2 + "'"), 4 * 20);
    EXPECT_EQ(count("site = '" + kDomain + "'"), 3);
    EXPECT_EQ(count("site = 'sc-domain:unverified.example'"), 0);
    EXPECT_EQ(count("site = '" + kRejected + "'"), 0);
    EXPECT_EQ(search_calls("unverified"), 1u);  // 403: not retried
    // 401 after two new tokens: the call fails (the first grant + 2 refreshes).
    EXPECT_EQ(search_calls("rejected"), 3u);
    EXPECT_EQ(fake().requests_to("/token").size(), 3u);
    EXPECT_NE(r.out.find("Successful API calls: 2\nFailed API calls: 2\n"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("not verified:\n1: sc-domain:unverified.example\n2: " + kRejected + "\n"),
              std::string::npos)
        << r.out;
    // The site is percent-encoded entirely on the wire.
    EXPECT_EQ(fake().requests_to("searchAnalytics").back()["path"],
              "/webmasters/v3/sites/sc-domain%3Agov.bc.ca/searchAnalytics/query");
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM cmslite.google_dt")[0]["c"], 4 + 1);
}

TEST_P(GoogleSearch, AWindowThatFailsMidWayIsNotLoadedAndIsFetchedAgain) {
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-04-01"}},
                       {{"name", kDomain}, {"start_date_default", "2026-05-10"}}};
    scenario["faults"] = {
        {{"id", "down"},
         {"match", {{"path_regex", "query$"}, {"body_contains", {{"startDate", "2026-05-05"}}}}},
         {"respond", {{"status", 503}, {"json", {{"error", {{"code", 503}}}}}}}}};
    fake().set_scenario(scenario);
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(ws.query("SELECT MAX(date) AS d FROM google.googlesearch WHERE site = '" + kWww2 +
                       "'")[0]["d"],
              "2026-05-01");
    EXPECT_EQ(count("site = '" + kWww2 + "'"), 31 * 20);
    // 8 attempts at 2026-05-05, then give up on www2; the next site still runs.
    EXPECT_EQ(search_calls("www2"), 31u * 2 + 3 * 2 + 8);
    EXPECT_EQ(count("site = '" + kDomain + "'"), 3);
    EXPECT_NE(r.out.find("not verified:\n1: " + kWww2), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Derived table build started at:"), std::string::npos) << r.out;

    fake().set_scenario(gdx::testing::google_scenario(sites()));
    auto again = run();
    ASSERT_EQ(again.exit_code, 0) << again.err << again.out;
    EXPECT_EQ(count("site = '" + kWww2 + "'"), 48 * 20);
    EXPECT_EQ(count("date = '2026-05-05'"), 20);
}

TEST_P(GoogleSearch, RevokedRefreshTokenStopsTheRunAndSaysWhatToDo) {
    ws.write_file("credentials.dat", gdx::testing::stored_credentials(fake(), "rt-revoked").dump());
    auto r = run();
    EXPECT_EQ(r.exit_code, 1) << r.err << r.out;
    EXPECT_NE(r.err.find("gdx google-auth"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("rt-revoked"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("csecret"), std::string::npos) << r.err;
    EXPECT_EQ(search_calls(), 0u);
    EXPECT_EQ(count(), 0);
    auto saved = json::parse(std::ifstream(ws.dir() / "credentials.dat"));
    EXPECT_EQ(saved["invalid"], true);
    std::ifstream log(ws.dir() / "logs" / "google-search.log");
    std::string text((std::istreambuf_iterator<char>(log)), {});
    EXPECT_EQ(text.find("csecret"), std::string::npos);
    EXPECT_EQ(text.find("rt-revoked"), std::string::npos);
}

// A service-account key instead of a user's stored credentials: one JWT bearer grant for the
// run, the rows loaded, the key file left as it was; a key the endpoint does not know stops the
// run before any API call.
TEST_P(GoogleSearch, ServiceAccountKeyLoadsTheRowsWithOneJwtGrant) {
    const std::string pem = gdx::testing::new_service_account_key(fake());
    fake().set_scenario(gdx::testing::with_service_account(scenario));
    const std::string key =
        gdx::testing::service_account_key(fake(), gdx::testing::kServiceAccountEmail, pem).dump(2);
    const auto key_file = ws.write_file("sa.json", key);
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-05-15"}},
                       {{"name", kDomain}, {"start_date_default", "2026-05-10"}}};
    const auto cfg = ws.write_file("config.d/search.json", config.dump());
    auto run_with_key = [&] {
        return ws.run_job("google-search", cfg,
                          {"--client-secrets", (ws.dir() / "client_secrets.json").string(),
                           "--credentials", key_file.string()},
                          env());
    };
    auto r = run_with_key();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(count("site = '" + kWww2 + "'"), 4 * 20);
    EXPECT_EQ(count("site = '" + kDomain + "'"), 3);
    auto grants = fake().requests_to("/token");
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_NE(grants[0]["body"].get<std::string>().find(
                  "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion="),
              std::string::npos);
    EXPECT_EQ(grants[0]["status"], 200);
    for (const auto& call : fake().requests_to("searchAnalytics"))
        EXPECT_EQ(call["headers"]["authorization"], "fake-at-1");
    EXPECT_EQ(gdx::test::read_text_file(key_file), key);  // nothing is written back to a key
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM cmslite.google_dt")[0]["c"], 4 + 1);

    // A key the token endpoint does not know (its public half is not registered).
    fake().reset();
    const std::string stranger = gdx::testing::new_service_account_key(fake(), false);
    ws.write_file("sa.json", gdx::testing::service_account_key(
                                 fake(), gdx::testing::kServiceAccountEmail, stranger)
                                 .dump());
    config["sites"] = {{{"name", kDomain}, {"start_date_default", "2026-05-10"}}};
    ws.write_file("config.d/search.json", config.dump());
    auto refused = run_with_key();  // 2026-05-11 .. 2026-05-18 are still to fetch
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("Invalid JWT Signature"), std::string::npos) << refused.err;
    EXPECT_EQ(refused.err.find("PRIVATE KEY"), std::string::npos) << refused.err;
    EXPECT_EQ(search_calls(), 0u);
    EXPECT_EQ(count("site = '" + kDomain + "'"), 3);
}

// The original post-load DML (cmslite.google_dt rebuilt from google.googlesearch, the
// google_sites reference table and the CMS themes), run as the job does, on both backends.
TEST_P(GoogleSearch, OriginalDmlRebuildsTheDerivedTable) {
    auto originals = gdx::test::original_configs_dir();
    if (!originals) GTEST_SKIP() << gdx::test::kNoOriginals;
    const auto search = *originals / "google_search";
    for (const auto& ddl : {search / "neighbours_s3_to_redshift/ddl/google.google_sites.sql",
                            *originals / "cmslitemetadata_to_redshift/ddl/cmslite.themes.sql"}) {
        auto r = gdx::test::run_gdx({"sql", "-f", ddl.string(), "--warehouse", ws.warehouse_uri(),
                                     "--log-dir", (ws.dir() / "logs").string()},
                                    ws.env());
        ASSERT_EQ(r.exit_code, 0) << ddl << r.err;
    }
    ws.sql(
        "INSERT INTO google.google_sites VALUES ('https://www2.gov.bc.ca/', false, "
        "'2020-01-01', 'www2.gov.bc.ca'), ('sc-domain:gov.bc.ca', false, NULL, NULL)");
    ws.sql(
        "INSERT INTO cmslite.themes (node_id, title, hr_url, theme_id, theme) VALUES "
        "('N1', 'Page zero', 'https://www2.gov.bc.ca/p0', 'T1', 'Theme one')");
    std::filesystem::copy_file(search / "dml/cmslite.google_dt.sql",
                               ws.dir() / "dml/cmslite.google_dt.sql");
    config["dml"] = "cmslite.google_dt.sql";
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "2026-05-15"}},
                       {{"name", kDomain}, {"start_date_default", "2026-05-10"}}};
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_NE(r.out.find("Derived table build started at:"), std::string::npos) << r.out;
    // www2 rows are all kept; the domain property's rows are of a host that has a URL-prefix
    // property of its own (google_sites.sc_urlhost), so the filter drops them.
    EXPECT_EQ(ws.query("SELECT count(*) AS c FROM cmslite.google_dt")[0]["c"], 4 * 20);
    auto themed = ws.query(
        "SELECT node_id, page_urlhost, title, theme, clicks FROM cmslite.google_dt "
        "WHERE node_id <> '' ORDER BY date");
    ASSERT_EQ(themed.size(), 4u);
    EXPECT_EQ(themed[0]["node_id"], "N1");
    EXPECT_EQ(themed[0]["page_urlhost"], "www2.gov.bc.ca");
    EXPECT_EQ(themed[0]["theme"], "Theme one");
}

// Bad input is refused before any request, with exit 2 and a message naming the problem.
class GoogleSearchInput : public GoogleSearch {};
INSTANTIATE_TEST_SUITE_P(Embedded, GoogleSearchInput, ::testing::Values(Backend::Embedded),
                         [](const auto& info) { return backend_name(info.param); });

TEST_P(GoogleSearchInput, BadFilesAndConfigsAreUsageErrors) {
    auto expect_usage = [&](const std::string& what, const std::string& needle) {
        fake().reset();
        auto r = run();
        EXPECT_EQ(r.exit_code, 2) << what << "\n" << r.err << r.out;
        EXPECT_NE(r.err.find(needle), std::string::npos) << what << "\n" << r.err;
        EXPECT_EQ(fake().requests().size(), 0u) << what;
        EXPECT_EQ(count(), 0) << what;
    };
    const auto secrets = ws.dir() / "client_secrets.json";
    const auto creds = ws.dir() / "credentials.dat";
    const std::string good_secrets = gdx::testing::client_secrets(fake()).dump();
    const std::string good_creds = gdx::testing::stored_credentials(fake()).dump();

    std::filesystem::remove(secrets);
    expect_usage("missing client secrets", "client_secrets.json");
    ws.write_file("client_secrets.json", R"({"installed": {"client_id": "cid"}})");
    expect_usage("secrets without client_secret", "client_secret");
    ws.write_file("client_secrets.json", good_secrets);

    ws.write_file("credentials.dat", "{\"refresh_token\": ");
    expect_usage("malformed credentials", "credentials.dat");
    ws.write_file("credentials.dat", R"({"client_id": "cid", "client_secret": "x"})");
    expect_usage("credentials without refresh token", "refresh_token");
    ws.write_file("credentials.dat", good_creds);

    auto saved = config;
    config.erase("sites");
    expect_usage("config without sites", "sites");
    config = saved;
    config["sites"] = json::array();
    expect_usage("empty sites", "sites");
    config["sites"] = {{{"name", kWww2}, {"start_date_default", "01/04/2026"}}};
    expect_usage("bad start date", "start_date_default");
    config = saved;
    config["dml"] = "missing.sql";
    expect_usage("missing DML", "missing.sql");
    config = saved;
    config["dbtable"] = "google.nosuchtable";
    expect_usage("missing table", "google.nosuchtable");
    config = saved;

    auto r = ws.run_job("google-search", ws.write_file("config.d/search.json", config.dump()),
                        {"--credentials", creds.string()}, env());
    EXPECT_EQ(r.exit_code, 2) << r.err;  // --client-secrets is required
}

TEST_P(GoogleSearchInput, OriginalFlagsAreAccepted) {
    config["sites"].push_back({{"name", "sc-domain:new.example"}});
    std::filesystem::create_directories(ws.dir() / "config.d");
    auto cfg = ws.write_file("config.d/search.json", config.dump());
    auto r = gdx::test::run_gdx(
        {"google-search", "-c", cfg.string(), "-o", (ws.dir() / "client_secrets.json").string(),
         "-a", (ws.dir() / "credentials.dat").string(), "--store", ws.store_uri(), "--warehouse",
         ws.warehouse_uri(), "--log-dir", (ws.dir() / "logs").string(), "--dry-run"},
        env(), ws.dir());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("fetch 2026-04-01 .. 2026-05-01"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("fetch 2026-05-02 .. 2026-05-18"), std::string::npos) << r.out;
    // A site without start_date_default and without rows starts at today - 480 days.
    EXPECT_NE(r.out.find("sc-domain:new.example: last loaded never\n"
                         "    fetch 2025-01-25 .. 2025-02-24"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(fake().requests().size(), 0u);
}

TEST_P(GoogleSearchInput, GoogleAuthWritesCredentialsTheJobCanUse) {
    const auto creds = ws.dir() / "new_credentials.dat";
    std::string cmd = gdx::testing::gdx_binary() + " google-auth --no-browser --scope search" +
                      " --client-secrets " + (ws.dir() / "client_secrets.json").string() +
                      " --credentials " + creds.string() + " 2>&1";
    FILE* p = ::popen(cmd.c_str(), "r");
    ASSERT_TRUE(p);
    std::string url;
    char line[8192];
    while (std::fgets(line, sizeof line, p)) {
        std::string l(line);
        if (l.starts_with("http")) {
            url = l.substr(0, l.find('\n'));
            break;
        }
    }
    ASSERT_FALSE(url.empty());
    EXPECT_NE(url.find("code_challenge_method=S256"), std::string::npos) << url;
    EXPECT_NE(url.find("access_type=offline"), std::string::npos) << url;
    // The "browser": the fake's consent page redirects to gdx's loopback listener.
    gdx::testing::run_command("curl -sS -L -o /dev/null '" + url + "'");
    std::string rest;
    while (std::fgets(line, sizeof line, p)) rest += line;
    EXPECT_EQ(::pclose(p), 0) << rest;
    auto saved = json::parse(std::ifstream(creds));
    EXPECT_EQ(saved["refresh_token"], "rt-from-code");
    EXPECT_EQ(saved["client_id"], "cid");
    auto grant = fake().requests_to("/token").back();
    EXPECT_NE(grant["body"].get<std::string>().find("code_verifier="), std::string::npos);
    EXPECT_EQ(grant["status"], 200);

    // The job runs on what google-auth wrote.
    std::filesystem::copy_file(creds, ws.dir() / "credentials.dat",
                               std::filesystem::copy_options::overwrite_existing);
    config["sites"] = {{{"name", kDomain}, {"start_date_default", "2026-05-10"}}};
    auto r = run();
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(count(), 3);
}

// SIGINT while a day of the second window is being fetched: the report is printed, exit 130,
// the first window stays loaded, nothing of the second is stored or loaded, the next site is not
// started; the next run fetches the interrupted window again.
TEST_P(GoogleSearchInput, SigintLeavesTheWindowInFlightUnloadedAndTheNextRunFetchesIt) {
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

// A token that expires mid-run (the fake expires every token before the 5th and the 20th query):
// each expiry costs one 401, one refresh and one replay; the run completes. Without expiry a
// run makes one grant (LoadsEveryWindowThenASecondRunFetchesNothing).
TEST_P(GoogleSearchInput, ATokenThatExpiresMidRunIsRefreshedOncePerExpiry) {
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
TEST_P(GoogleSearchInput, GzipAndChunkedAnswersGiveTheSameRowsAsPlainOnes) {
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
TEST_P(GoogleSearchInput, ADayStopsAtTheDailyCapAndPagesBy25000Rows) {
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
