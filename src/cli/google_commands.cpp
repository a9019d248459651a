#include "cli/google_commands.hpp"

#include <iostream>

#include "cli/job_options.hpp"
#include "jobs/google_business.hpp"
#include "jobs/google_search.hpp"

namespace gdx::cli {

namespace {

// A Google job's subcommand: the common job options and the two files of the OAuth set-up,
// spelled as the originals spelled them too (-o/--cred, -a/--auth).
CLI::App* add_google_job(CLI::App& app, const char* name, const char* description,
                         jobs::GoogleJobOptions& o, const char* credentials_help) {
    auto* cmd = app.add_subcommand(name, description);
    add_job_options(*cmd, o.run);
    cmd->add_option("--client-secrets,-o,--cred", o.client_secrets,
                    "OAuth client secrets JSON (installed application)")
        ->required();
    cmd->add_option("--credentials,-a,--auth", o.credentials, credentials_help)->required();
    return cmd;
}

}  // namespace

GoogleCommands::GoogleCommands(CLI::App& app) {
    search_ = add_google_job(
        app, "google-search",
        "Search Console search analytics per site and day into the warehouse (one object per "
        "window of up to 31 days, loaded like s3-to-redshift), then the post-load DML",
        search_options_, "stored credentials (oauth2client JSON) or a service-account key file");
    business_ = add_google_job(
        app, "google-business",
        "Business Profile daily metrics per location into the warehouse (one API call and one "
        "object per location, loaded like s3-to-redshift)",
        business_options_, "stored credentials (oauth2client JSON) with the business.manage scope");

    auto& a = auth_options_;
    auth_ = app.add_subcommand(
        "google-auth",
        "authorise gdx once for a Google API (loopback redirect + PKCE) and write the "
        "credentials file the Google jobs read");
    auth_->add_option("--client-secrets,-o", a.client_secrets, "OAuth client secrets JSON")
        ->required();
    auth_->add_option("--credentials,-a", a.credentials, "the credentials file to write")
        ->required();
    auth_->add_option("--scope", a.scope, "search or business")->required();
    auth_->add_flag("--no-browser", a.no_browser, "only print the URL to open");
    auth_->add_option("--port", a.port, "loopback port of the redirect [default: a free one]");
}

std::optional<int> GoogleCommands::run() {
    if (*search_)
        return run_job("google-search", search_options_.run, [&](const jobs::RunOptions&) {
            return jobs::run_google_search(search_options_);
        });
    if (*business_)
        return run_job("google-business", business_options_.run, [&](const jobs::RunOptions&) {
            return jobs::run_google_business(business_options_);
        });
    if (*auth_) {
        return guarded([&] {
            google::authorize(auth_options_, std::cout);
            return 0;
        });
    }
    return std::nullopt;
}

}  // namespace gdx::cli
