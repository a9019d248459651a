// Orchestration only: per site, the days not yet in the warehouse, fetched in windows of up
// to 31 days, each window stored as one object and loaded by the shared loader; then the
// post-load DML once.
#include "jobs/google_search.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/google_search_config.hpp"
#include "google/api_client.hpp"
#include "google/search_console.hpp"
#include "google/search_report.hpp"
#include "google/session.hpp"
#include "google/settings.hpp"
#include "jobs/api_load.hpp"
#include "jobs/loader_run.hpp"
#include "jobs/run_output.hpp"
#include "jobs/search_window.hpp"
#include "jobs/sql_file.hpp"
#include "jobs/target_table.hpp"
#include "util/error.hpp"
#include "util/interrupt.hpp"
#include "util/redact.hpp"
#include "util/warnings.hpp"

namespace gdx::jobs {
namespace {

namespace fs = std::filesystem;
using date::days;
using google::iso_date;

const std::vector<std::string> kSearchScopes = {
    "https://www.googleapis.com/auth/webmasters.readonly"};

struct Interrupted {};

// A window: the days [start, end] of one site.
struct Window {
    date::sys_days start, end;
};

struct Plan {
    std::optional<date::sys_days> last;
    std::vector<Window> windows;
};

Plan plan_site(warehouse::Warehouse& wh, const config::GoogleSearchConfig& cfg,
               const config::GoogleSearchSite& site, date::sys_days today) {
    Plan plan;
    const date::sys_days latest = today - days(2);
    plan.last = last_loaded_date(wh, cfg.dbtable, "site", site.name);
    date::sys_days start = plan.last ? *plan.last + days(1)
                           : site.start_date_default
                               ? *google::parse_iso_date(*site.start_date_default)
                               : today - days(480);
    for (; start <= latest; start = std::min(start + days(30), latest) + days(1))
        plan.windows.push_back({start, std::min(start + days(30), latest)});
    return plan;
}

void print_plan(const config::GoogleSearchConfig& cfg, warehouse::Warehouse& wh,
                date::sys_days today) {
    std::cout << "Plan for " << cfg.source_path << " (dry run: nothing is fetched or changed)\n";
    for (const auto& site : cfg.sites) {
        Plan plan = plan_site(wh, cfg, site, today);
        std::cout << "  " << site.name << ": last loaded "
                  << (plan.last ? iso_date(*plan.last) : std::string("never")) << "\n";
        for (const auto& w : plan.windows)
            std::cout << "    fetch " << iso_date(w.start) << " .. " << iso_date(w.end) << " -> "
                      << search_object_key(cfg.prefix(), site.name, iso_date(w.start), "<max date>")
                      << "\n";
        if (plan.windows.empty()) std::cout << "    nothing to fetch\n";
    }
    std::cout << "  then run dml/" << cfg.dml << "\n";
}

// The DML file: relative to the working directory (the original ran from its folder), then
// to the folder above the config's config.d/.
std::string read_dml(const config::GoogleSearchConfig& cfg) {
    fs::path rel = fs::path("dml") / cfg.dml;
    fs::path config_dir = fs::path(cfg.source_path).parent_path();
    return read_sql_file({rel, config_dir.parent_path() / rel}, cfg.source_path, cfg.dml, "dml");
}

}  // namespace

int run_google_search(const GoogleJobOptions& options) {
    const RunOptions& ro = options.run;
    util::catch_interrupt();
    google::SearchReport report;
    report.config_path = ro.config_path;
    report.start = std::chrono::system_clock::now();

    // Everything that can be wrong with the input is checked before any network call.
    auto cfg = config::load_google_search_config(ro.config_path);
    for (const auto& w : cfg.warnings) util::warn(w);
    const std::string dml = read_dml(cfg);
    google::GoogleSession session(options.client_secrets, options.credentials, kSearchScopes);
    const auto& settings = session.settings;

    LoaderRun run(ro, "google-search");
    run.open_backends();
    const auto table =
        require_table(run.warehouse(), cfg.dbtable, ro.config_path + ": key \"dbtable\"");
    if (ro.dry_run) {
        print_plan(cfg, run.warehouse(), settings.today);
        return 0;
    }
    const TransformSpec spec = search_object_spec(table);

    // Objects a crashed run committed but never copied to good.
    repair_leftovers(run, cfg.bucket, cfg.prefix(), "googlesearch.*\\.csv", cfg.destination);

    google::SearchConsole console(session.api(), settings.searchconsole_base,
                                  settings.backoff_scale);
    report.sites = cfg.sites.size();
    report.retrieved = cfg.sites.size();
    for (const auto& site : cfg.sites) report.not_processed.push_back(site.name);

    int exit_code = 0;
    bool stop = false;
    try {
        for (const auto& site : cfg.sites) {
            if (stop) break;
            Plan plan = plan_site(run.warehouse(), cfg, site, settings.today);
            if (plan.windows.empty()) {
                spdlog::info("{}: loaded up to {}; nothing new", site.name,
                             plan.last ? iso_date(*plan.last) : "-");
                report.no_new_data++;
            }
            for (const auto& w : plan.windows) {
                WindowSpool spool(site.name);
                try {
                    for (auto day = w.start; day <= w.end; day += days(1)) {
                        if (util::interrupted()) throw Interrupted{};
                        console.fetch_day(
                            site.name, iso_date(day),
                            [&](const nlohmann::json& rows) { spool.add_rows(rows); });
                    }
                } catch (const google::ApiError& e) {
                    // The window is incomplete: nothing of it is loaded, the next run fetches
                    // it again.
                    spdlog::error("{}: {}; window {} .. {} not loaded; next site", site.name,
                                  e.what(), iso_date(w.start), iso_date(w.end));
                    report.failed_api++;
                    report.retrieved--;
                    report.failed_verification.push_back(site.name);
                    break;
                } catch (const std::invalid_argument& e) {
                    spdlog::error(
                        "{}: malformed search analytics answer ({}); window {} .. {} not "
                        "loaded; next site",
                        site.name, e.what(), iso_date(w.start), iso_date(w.end));
                    report.failed_api++;
                    report.retrieved--;
                    report.failed_verification.push_back(site.name);
                    break;
                }
                if (spool.rows() == 0) {
                    spdlog::warn("No data retrieved for {} over {} .. {}; no object, no load",
                                 site.name, iso_date(w.start), iso_date(w.end));
                    report.no_new_data++;
                    continue;
                }
                const std::string key =
                    search_object_key(cfg.prefix(), site.name, iso_date(w.start), spool.max_date());
                spool.upload(run.store(), cfg.bucket, key);
                spdlog::info("{}: {} rows", key, spool.rows());
                auto [outcome, url] =
                    load_stored_object(run, cfg.bucket, cfg.destination, key, spec, cfg.dbtable);
                if (outcome == ObjectOutcome::Bad) {
                    report.failed_rs++;
                    report.failed_to_rs.push_back(url);
                    exit_code = 1;
                    stop = !ro.keep_going;
                    break;  // later windows would skip the failed one's days
                }
                spdlog::info("SUCCESS loading {} {} .. {} into {}", site.name, iso_date(w.start),
                             iso_date(w.end), cfg.dbtable);
                report.processed.push_back(url);
            }
            if (!stop) std::erase(report.not_processed, site.name);
        }
    } catch (const Interrupted&) {
        spdlog::warn("interrupted (SIGINT): the current window is not loaded");
        report.interrupted = true;
        exit_code = util::kInterruptedExit;
    } catch (const google::AuthError& e) {
        spdlog::error("{}", e.what());
        std::cerr << "gdx: " << util::redact(e.what()) << "\n";
        exit_code = 1;
    } catch (const BackendError& e) {
        spdlog::error("stopping: {}", e.what());
        std::cerr << "gdx: error: " << util::redact(e.what()) << "\n";
        exit_code = 1;
    }
    for (const auto& site : report.failed_verification) std::erase(report.not_processed, site);

    if (exit_code == 0) {
        report.dt_start = std::chrono::system_clock::now();
        try {
            run.warehouse().run_script(dml, {});
            report.dt = google::DerivedTable::Built;
            spdlog::info("Google Search DT loaded successfully");
        } catch (const std::exception& e) {
            report.dt = google::DerivedTable::Failed;
            spdlog::error("the post-load DML dml/{} failed: {}", cfg.dml, e.what());
            std::cerr << "gdx: the post-load DML failed: " << util::redact(e.what()) << "\n";
            exit_code = 1;
        }
        report.dt_end = std::chrono::system_clock::now();
    }
    report.end = std::chrono::system_clock::now();
    const bool worth_printing = report.worth_printing() || exit_code != 0;
    if (!worth_printing) spdlog::info("No API response contained new data");
    publish_report(ro, worth_printing ? google::format_search_report(report) : "",
                   google::search_report_json(report));
    spdlog::info("exiting with code {}", exit_code);
    return exit_code;
}

}  // namespace gdx::jobs
