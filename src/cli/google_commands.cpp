#include "cli/google_commands.hpp"

#include <iostream>

#include "jobs/google_search.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace gdx::cli {
namespace {

int guarded_google(const std::function<int()>& body) {
    try {
        return body();
    } catch (const ConfigError& e) {
        std::cerr << "gdx: config error: " << util::redact(e.what()) << "\n";
        return static_cast<int>(ExitCode::Usage);
    } catch (const std::exception& e) {
        std::cerr << "gdx: error: " << util::redact(e.what()) << "\n";
        return static_cast<int>(ExitCode::Failed);
    }
}

}  // namespace

GoogleCommands::GoogleCommands(CLI::App& app) {
    auto& o = search_options_;
    search_ = app.add_subcommand(
        "google-search",
        "Search Console search analytics per site and day into the warehouse (one object per "
        "window of up to 31 days, loaded like s3-to-redshift), then the post-load DML");
    search_->add_option("CONFIG", o.run.config_path, "the job's JSON config (config_search.json)");
    search_->add_option("-c,--conf", search_config_flag_, "the config, as the original took it");
    search_
        ->add_option("--client-secrets,-o,--cred", o.client_secrets,
                     "OAuth client secrets JSON (installed application)")
        ->required();
    search_
        ->add_option("--credentials,-a,--auth", o.credentials,
                     "stored credentials (oauth2client JSON) or a service-account key file")
        ->required();
    search_->add_option("--store", o.run.store_uri, "object store URI [env GDX_STORE]");
    search_->add_option("--warehouse", o.run.warehouse_uri, "warehouse URI [env GDX_WAREHOUSE]");
    search_->add_option("--log-dir", o.run.log_dir, "directory of the log file [default logs]");
    search_->add_flag("--dry-run", o.run.dry_run, "print the windows to fetch; change nothing");
    search_->add_flag("--keep-going", o.run.keep_going,
                      "after a failed load, continue with the next site");
    search_->add_option("--report-json", o.run.report_json, "also write the report as JSON");

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
    if (*search_) {
        auto& o = search_options_;
        if (!search_config_flag_.empty()) o.run.config_path = search_config_flag_;
        if (o.run.config_path.empty()) {
            std::cerr << "gdx google-search: give the config (CONFIG or -c CONFIG)\n";
            return static_cast<int>(ExitCode::Usage);
        }
        return guarded_google([&] {
            util::init_logging(o.run.log_dir, "google-search", false);
            return jobs::run_google_search(o);
        });
    }
    if (*auth_) {
        return guarded_google([&] {
            google::authorize(auth_options_, std::cout);
            return 0;
        });
    }
    return std::nullopt;
}

}  // namespace gdx::cli
