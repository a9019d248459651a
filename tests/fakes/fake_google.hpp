#pragma once
// Test helper: the fake Google server (tests/fakes/fake_google.py) on a free loopback port,
// with a scenario written to a fresh directory, and its request log.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "s3_servers.hpp"
#include "server_process.hpp"

namespace gdx::testing {

class FakeGoogle {
public:
    explicit FakeGoogle(const nlohmann::json& scenario) : dir_(make_temp_dir("google")) {
        write_file("scenario.json", scenario.dump(2));
        int port = free_port();
        process_ = std::make_unique<ServerProcess>(
            std::vector<std::string>{"python3", source_dir() + "/tests/fakes/fake_google.py",
                                     "--scenario", dir_ + "/scenario.json", "--port",
                                     std::to_string(port)},
            port, dir_ + "/fake_google.log");
    }

    std::string url() const { return process_->url(); }
    std::string token_uri() const { return url() + "/token"; }
    const std::string& dir() const { return dir_; }
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

    void write_file(const std::string& name, const std::string& text) const {
        std::ofstream(dir_ + "/" + name) << text;
    }

    // Every request since the last reset (see the fake's docstring for the fields).
    nlohmann::json requests() const { return admin("GET", "requests")["requests"]; }
    // Requests whose path matches `path_part`.
    std::vector<nlohmann::json> requests_to(const std::string& path_part) const {
        std::vector<nlohmann::json> out;
        for (const auto& r : requests())
            if (r["path"].get<std::string>().find(path_part) != std::string::npos) out.push_back(r);
        return out;
    }
    void reset() const { admin("POST", "reset"); }
    void expire_tokens() const { admin("POST", "expire_tokens"); }
    // Moves the fake clock to `now` (ISO 8601 with an offset or Z).
    void set_clock(const std::string& now) const {
        write_file("clock.json", nlohmann::json{{"now", now}}.dump());
        admin("POST", "clock", "clock.json");
    }
    void set_scenario(const nlohmann::json& scenario) const {
        write_file("posted.json", scenario.dump());
        admin("POST", "scenario", "posted.json");
    }

private:
    nlohmann::json admin(const std::string& method, const std::string& name,
                         const std::string& body_file = {}) const {
        std::string cmd = "curl -sS -X " + method + " " + url() + "/__admin/" + name;
        if (!body_file.empty())
            cmd += " --data-binary @" + path(body_file);
        else if (method == "POST")
            cmd += " -d '{}'";
        return nlohmann::json::parse(run_command(cmd));
    }

    std::string dir_;
    std::unique_ptr<ServerProcess> process_;
};

// A scenario with one client ("cid"/"csecret"), refresh tokens "rt-good" and "rt-from-code"
// (what the authorization-code grant hands out; search scope), "rt-business" (business.manage
// scope) and "rt-revoked", clock at 2026-05-20 noon Pacific; `sites` is the
// search_console.sites object.
inline nlohmann::json google_scenario(const nlohmann::json& sites = nlohmann::json::object()) {
    return {{"now", "2026-05-20T12:00:00-07:00"},
            {"oauth",
             {{"clients", {{{"client_id", "cid"}, {"client_secret", "csecret"}}}},
              {"refresh_tokens",
               {{{"token", "rt-good"},
                 {"client_id", "cid"},
                 {"scopes", {"https://www.googleapis.com/auth/webmasters.readonly"}}},
                {{"token", "rt-from-code"},
                 {"client_id", "cid"},
                 {"scopes", {"https://www.googleapis.com/auth/webmasters.readonly"}}},
                {{"token", "rt-business"},
                 {"client_id", "cid"},
                 {"scopes", {"https://www.googleapis.com/auth/business.manage"}}},
                {{"token", "rt-revoked"}, {"revoked", true}}}}}},
            {"search_console",
             {{"sites", sites},
              {"max_rows_per_day", 50000},
              {"retention_days", 486},
              {"final_lag_days", 2}}},
            {"faults", nlohmann::json::array()}};
}

// The originals' stored-credential file (oauth2client) for the fake.
inline nlohmann::json stored_credentials(const FakeGoogle& fake,
                                         const std::string& refresh_token = "rt-good") {
    return {{"access_token", nullptr},
            {"client_id", "cid"},
            {"client_secret", "csecret"},
            {"refresh_token", refresh_token},
            {"token_expiry", nullptr},
            {"token_uri", fake.token_uri()},
            {"user_agent", nullptr},
            {"revoke_uri", "https://oauth2.googleapis.com/revoke"},
            {"id_token", nullptr},
            {"id_token_jwt", nullptr},
            {"token_response", nullptr},
            {"scopes", {"https://www.googleapis.com/auth/webmasters.readonly"}},
            {"token_info_uri", "https://oauth2.googleapis.com/tokeninfo"},
            {"invalid", false},
            {"_class", "OAuth2Credentials"},
            {"_module", "oauth2client.client"}};
}

// google_scenario() with the Business Profile part: `accounts` (a personal account first, as
// Google lists them), each account's `locations` (a list, or {"generate": {"count", "first_id"}}),
// and the other members of the fake's "gbp" object merged in from `extra`.
inline nlohmann::json business_scenario(const nlohmann::json& accounts,
                                        const nlohmann::json& locations,
                                        const nlohmann::json& extra = nlohmann::json::object()) {
    nlohmann::json s = google_scenario();
    s["gbp"] = {{"accounts", accounts}, {"locations", locations}};
    s["gbp"].update(extra);
    return s;
}

inline constexpr const char* kServiceAccountEmail = "sa@p.iam.gserviceaccount.com";

// The current time as the fake's clock text: a JWT's iat/exp are real time, so a scenario that
// checks them needs this "now".
inline std::string fake_clock_now(std::chrono::seconds offset = std::chrono::seconds(0)) {
    auto t = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) + offset;
    return date::format("%FT%TZ", t);
}

// `scenario` with the service account kServiceAccountEmail registered (public key sa_pub.pem in
// the fake's directory) and the clock at the real time.
inline nlohmann::json with_service_account(nlohmann::json scenario) {
    scenario["now"] = fake_clock_now();
    scenario["oauth"]["service_accounts"] = {
        {{"client_email", kServiceAccountEmail}, {"public_key_pem_file", "sa_pub.pem"}}};
    return scenario;
}

// A new RSA key in the fake's directory: sa.pem (private) and, when `registered`, its public half
// in sa_pub.pem, the key the fake checks signatures with. Returns the private key PEM.
inline std::string new_service_account_key(const FakeGoogle& fake, bool registered = true) {
    run_command("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " +
                fake.path("sa.pem") + " 2>/dev/null");
    if (registered)
        run_command("openssl pkey -in " + fake.path("sa.pem") + " -pubout -out " +
                    fake.path("sa_pub.pem"));
    std::ifstream in(fake.path("sa.pem"));
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

// A Google service-account key file (JSON) for `email` with `private_key_pem`.
inline nlohmann::json service_account_key(const FakeGoogle& fake, const std::string& email,
                                          const std::string& private_key_pem) {
    return {{"type", "service_account"},
            {"project_id", "p"},
            {"private_key_id", "k1"},
            {"private_key", private_key_pem},
            {"client_email", email},
            {"client_id", "1"},
            {"auth_uri", fake.url() + "/o/oauth2/v2/auth"},
            {"token_uri", fake.token_uri()}};
}

inline nlohmann::json client_secrets(const FakeGoogle& fake) {
    return {{"installed",
             {{"client_id", "cid"},
              {"project_id", "gdx-test"},
              {"auth_uri", fake.url() + "/o/oauth2/v2/auth"},
              {"token_uri", fake.token_uri()},
              {"client_secret", "csecret"},
              {"redirect_uris", {"http://localhost"}}}}};
}

}  // namespace gdx::testing
