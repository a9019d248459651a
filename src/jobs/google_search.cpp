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

// The job's state across sites.
class SearchRun {
public:
    SearchRun(const config::GoogleSearchConfig& cfg, LoaderRun& run, google::SearchConsole& console,
              const TransformSpec& spec, google::SearchReport& report)
        : cfg_(cfg), run_(run), console_(console), spec_(spec), report_(report) {}

    // One site: its missing days, window by window, each fetched, stored and loaded. False
    // when the run stops here (a failed load without --keep-going).
    bool site(const config::GoogleSearchSite& site, date::sys_days today) {
        Plan plan = plan_site(run_.warehouse(), cfg_, site, today);
        if (!plan.windows.empty()) {
            // A window a stopped run stored but never loaded starts where the table ends: it is
            // loaded as it is, and the days after it are planned again.
            const std::string head = search_object_key_prefix(cfg_.prefix(), site.name,
                                                              iso_date(plan.windows.front().start));
            if (auto stored = unloaded_object(run_, cfg_.bucket, head, cfg_.destination)) {
                spdlog::warn("{} was stored by a run that stopped before loading it: loading it",
                             stored->key);
                if (!load_key(site, stored->key)) {
                    exit_code_ = 1;
                    return run_.options().keep_going;
                }
                plan = plan_site(run_.warehouse(), cfg_, site, today);
            }
        }
        if (plan.windows.empty()) {
            spdlog::info("{}: loaded up to {}; nothing new", site.name,
                         plan.last ? iso_date(*plan.last) : "-");
            report_.no_new_data++;
        }
        for (const auto& w : plan.windows) {
            WindowSpool spool(site.name);
            if (!fetch(site, w, spool)) break;  // the next run fetches the window again
            if (spool.rows() == 0) {
                spdlog::warn("No data retrieved for {} over {} .. {}; no object, no load",
                             site.name, iso_date(w.start), iso_date(w.end));
                report_.no_new_data++;
                continue;
            }
            if (!load(site, w, spool)) {
                exit_code_ = 1;
                // Later windows would skip the failed one's days.
                return run_.options().keep_going;
            }
        }
        return true;
    }

    int exit_code() const { return exit_code_; }

private:
    // The window's days into the spool. False when the site's API calls failed for good (the
    // site is reported and skipped): nothing of the window is loaded.
    bool fetch(const config::GoogleSearchSite& site, const Window& w, WindowSpool& spool) {
        std::string why;
        try {
            for (auto day = w.start; day <= w.end; day += days(1)) {
                if (util::interrupted()) throw Interrupted{};
                console_.fetch_day(site.name, iso_date(day),
                                   [&](const nlohmann::json& rows) { spool.add_rows(rows); });
            }
            return true;
        } catch (const google::ApiError& e) {
            why = e.what();
        } catch (const std::invalid_argument& e) {
            why = fmt::format("malformed search analytics answer ({})", e.what());
        }
        spdlog::error("{}: {}; window {} .. {} not loaded; next site", site.name, why,
                      iso_date(w.start), iso_date(w.end));
        report_.failed_api++;
        report_.retrieved--;
        report_.failed_verification.push_back(site.name);
        return false;
    }

    // Stores the window as one object and loads it. False when it went to bad.
    bool load(const config::GoogleSearchSite& site, const Window& w, WindowSpool& spool) {
        const std::string key =
            search_object_key(cfg_.prefix(), site.name, iso_date(w.start), spool.max_date());
        spool.upload(run_.store(), cfg_.bucket, key);
        spdlog::info("{}: {} rows", key, spool.rows());
        if (!load_key(site, key)) return false;
        spdlog::info("SUCCESS loading {} {} .. {} into {}", site.name, iso_date(w.start),
                     iso_date(w.end), cfg_.dbtable);
        return true;
    }

    // Loads a stored window object. False when it went to bad.
    bool load_key(const config::GoogleSearchSite& site, const std::string& key) {
        auto [outcome, url] =
            load_stored_object(run_, cfg_.bucket, cfg_.destination, key, spec_, cfg_.dbtable);
        if (outcome == ObjectOutcome::Bad) {
            report_.failed_rs++;
            report_.failed_to_rs.push_back(url);
            return false;
        }
        spdlog::info("{}: loaded {}", site.name, key);
        report_.processed.push_back(url);
        return true;
    }

    const config::GoogleSearchConfig& cfg_;
    LoaderRun& run_;
    google::SearchConsole& console_;
    const TransformSpec& spec_;
    google::SearchReport& report_;
    int exit_code_ = 0;
};

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

    SearchRun job(cfg, run, console, spec, report);
    int exit_code = run_api_loop(
        [&] {
            for (const auto& site : cfg.sites) {
                if (!job.site(site, settings.today)) break;  // it stays "not processed"
                std::erase(report.not_processed, site.name);
            }
            return job.exit_code();
        },
        report.interrupted, "the current window is not loaded");
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
