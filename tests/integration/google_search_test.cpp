// End-to-end: gdx google-search against the fake Google server, on a directory + SQLite and on
// S3 (moto) + PostgreSQL: rows in the table, objects in the bucket, the post-load DML, what a
// second run does, failing sites, credentials; bad input.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "../support/test_paths.hpp"
#include "google_search_fixture.hpp"

using gdx::test::Backend;
using gdx::test::backend_name;

// Inside the fixture's namespace, so that its names win over any file-local ones of another
// source compiled in the same unity batch.
namespace gdx::test::search {
namespace {

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

}  // namespace
}  // namespace gdx::test::search
