// Orchestration only: for each configured account group, its locations; for each location
// the days the warehouse lacks, all metrics in one call, one object loaded by the shared
// loader. A location whose call fails for good is reported and skipped; the run goes on.
#include "jobs/google_business.hpp"

#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/google_business_config.hpp"
#include "google/api_client.hpp"
#include "google/business_profile.hpp"
#include "google/business_report.hpp"
#include "google/session.hpp"
#include "google/settings.hpp"
#include "jobs/api_load.hpp"
#include "jobs/business_location.hpp"
#include "jobs/loader_run.hpp"
#include "jobs/run_output.hpp"
#include "jobs/target_table.hpp"
#include "util/error.hpp"
#include "util/interrupt.hpp"
#include "util/redact.hpp"
#include "util/warnings.hpp"

namespace gdx::jobs {
namespace {

using google::iso_date;

const std::vector<std::string> kBusinessScopes = {
    "https://www.googleapis.com/auth/business.manage"};

// A config group's account: the first non-personal account whose accountNumber is the id.
// (Google lists the caller's personal account first; the original dropped that entry.)
const google::GbpAccount* find_account(const std::vector<google::GbpAccount>& accounts,
                                       const config::GoogleBusinessGroup& group) {
    for (const auto& a : accounts)
        if (a.type != "PERSONAL" && a.account_number == group.id) return &a;
    return nullptr;
}

void check_metrics(const config::GoogleBusinessConfig& cfg, const types::TableSchema& table) {
    const auto& known = google::known_daily_metrics();
    for (const auto& m : cfg.metrics)
        if (std::find(known.begin(), known.end(), m) == known.end())
            throw ConfigError(fmt::format("{}: metrics: \"{}\" is not a DailyMetric (known: {})",
                                          cfg.source_path, m, fmt::join(known, ", ")));
    const size_t want = 4 + cfg.metrics.size();
    if (table.loadable_columns().size() != want)
        throw ConfigError(
            fmt::format("{}: table {} has {} columns; the objects have {} (date, client, location, "
                        "location_id and one per metric)",
                        cfg.source_path, cfg.dbtable, table.loadable_columns().size(), want));
}

// The job's state across locations.
class BusinessRun {
public:
    BusinessRun(const config::GoogleBusinessConfig& cfg, LoaderRun& run,
                google::BusinessProfile& gbp, const TransformSpec& spec, date::sys_days today,
                google::BusinessReport& report)
        : cfg_(cfg),
          run_(run),
          gbp_(gbp),
          spec_(spec),
          today_(today),
          report_(report),
          columns_(business_columns(cfg.metrics)) {}

    // One location: fetch, store, load. A failed load sets the exit code to 1.
    void location(const config::GoogleBusinessGroup& group, const google::GbpAccount& account,
                  const google::GbpLocation& loc, bool dry_run) {
        if (util::interrupted()) throw Interrupted{};
        report_.locations++;
        const std::string location_id = account.name + "/" + loc.name;
        if (!resume_) resume_ = last_loaded_dates(run_.warehouse(), cfg_.dbtable, "location_id");
        auto found = resume_->find(location_id);
        const auto last =
            found == resume_->end() ? std::nullopt : std::optional<date::sys_days>(found->second);
        if (!last) spdlog::info("first time loading {} ({})", loc.title, location_id);
        LocationRange range = location_range(group, last, today_);
        std::string key = business_object_key(cfg_.prefix(), group.client_shortname, loc.title,
                                              range.start, range.end);
        if (dry_run) {
            std::cout << "  " << location_id << " " << loc.title << ": "
                      << (range.fetch ? "fetch " + iso_date(range.start) + " .. " +
                                            iso_date(range.end) + " -> " + key
                                      : std::string("current"))
                      << "\n";
            return;
        }
        if (range.fetch) {
            // An object a stopped run stored but never loaded starts where the table ends: it is
            // loaded as it is, and the days after it are fetched.
            const std::string head = business_object_key_prefix(
                cfg_.prefix(), group.client_shortname, loc.title, range.start);
            if (auto stored = unloaded_object(run_, cfg_.bucket, head, cfg_.destination)) {
                spdlog::warn("{} was stored by a run that stopped before loading it: loading it",
                             stored->key);
                if (!load_key(stored->key, loc.title)) return;
                range = location_range(
                    group,
                    last_loaded_date(run_.warehouse(), cfg_.dbtable, "location_id", location_id),
                    today_);
                key = business_object_key(cfg_.prefix(), group.client_shortname, loc.title,
                                          range.start, range.end);
            }
        }
        if (!range.fetch) {
            spdlog::info("the warehouse already holds the latest available data for {}", loc.title);
            report_.no_new_data++;
            return;
        }
        google::DailyMetricTable table;
        try {
            table = gbp_.daily_metrics(loc.name, cfg_.metrics, range.start, range.end);
        } catch (const google::ApiError& e) {
            spdlog::error("Error trying to collect the metrics of location {}: {}; skipped",
                          loc.title, e.what());
            report_.not_retrieved++;
            report_.failed_locations.push_back(loc.title);
            return;
        }
        report_.retrieved++;
        for (const auto& w : table.warnings) spdlog::warn("{} ({}): {}", loc.title, loc.name, w);
        if (table.rows.empty()) {
            spdlog::warn("no daily values for {} over {} .. {}; no object", loc.title,
                         iso_date(range.start), iso_date(range.end));
            return;
        }
        auto out = run_.store().put(cfg_.bucket, key);
        write_business_object(*out, columns_, table, group.client_shortname, loc.title,
                              location_id);
        load_key(key, loc.title);
    }

    int exit_code() const { return exit_code_; }

private:
    // Loads a stored object of the location. False (and exit code 1) when it went to bad.
    bool load_key(const std::string& key, const std::string& title) {
        auto [outcome, url] =
            load_stored_object(run_, cfg_.bucket, cfg_.destination, key, spec_, cfg_.dbtable);
        if (outcome == ObjectOutcome::Bad) {
            spdlog::error("Loading failed {}. Object key: {}", title, key);
            report_.failed_loads++;
            report_.bad.push_back(url);
            exit_code_ = 1;
            return false;
        }
        spdlog::info("Loaded {} successfully. Object key: {}", title, key);
        report_.loaded++;
        report_.good.push_back(url);
        return true;
    }

    const config::GoogleBusinessConfig& cfg_;
    LoaderRun& run_;
    google::BusinessProfile& gbp_;
    const TransformSpec& spec_;
    date::sys_days today_;
    google::BusinessReport& report_;
    std::vector<std::string> columns_;
    // Every location's MAX(date), read once (one scan rather than one per location).
    std::optional<std::map<std::string, date::sys_days>> resume_;
    int exit_code_ = 0;
};

}  // namespace

int run_google_business(const GoogleJobOptions& options) {
    const RunOptions& ro = options.run;
    util::catch_interrupt();
    google::BusinessReport report;
    report.config_path = ro.config_path;
    report.start = std::chrono::system_clock::now();

    // Everything that can be wrong with the input is checked before any network call.
    auto cfg = config::load_google_business_config(ro.config_path);
    for (const auto& w : cfg.warnings) util::warn(w);
    google::GoogleSession session(options.client_secrets, options.credentials, kBusinessScopes);
    const auto& settings = session.settings;

    LoaderRun run(ro, "google-business");
    run.open_backends();
    const auto table =
        require_table(run.warehouse(), cfg.dbtable, ro.config_path + ": key \"dbtable\"");
    check_metrics(cfg, table);
    for (const auto& group : cfg.groups)
        if (group.end_date && *group.end_date > iso_date(settings.today - date::days(3)))
            spdlog::warn("{}: the end_date {} is more recent than 3 days ago", group.name,
                         *group.end_date);
    const TransformSpec spec = business_object_spec(table, business_columns(cfg.metrics));
    if (!ro.dry_run)
        repair_leftovers(run, cfg.bucket, cfg.prefix(), "gmb_.*\\.csv", cfg.destination);

    google::BusinessProfile gbp(session.api(), {settings.gbp_accounts_base, settings.gbp_info_base,
                                                settings.gbp_perf_base});
    BusinessRun job(cfg, run, gbp, spec, settings.today, report);
    if (ro.dry_run)
        std::cout << "Plan for " << cfg.source_path
                  << " (dry run: locations are listed, no metrics fetched, nothing changed)\n";

    const int exit_code = run_api_loop(
        [&] {
            const auto accounts = gbp.accounts();
            for (const auto& group : cfg.groups) {
                const google::GbpAccount* account = find_account(accounts, group);
                if (!account) {
                    spdlog::error("No API access to {}. Excluding from insights query.",
                                  group.name);
                    report.skipped_groups.push_back(group.name);
                    continue;
                }
                for (const auto& loc : gbp.locations(account->name))
                    job.location(group, *account, loc, ro.dry_run);
            }
            return job.exit_code();
        },
        report.interrupted, "the remaining locations are not processed");
    if (ro.dry_run && exit_code == 0) return 0;
    report.end = std::chrono::system_clock::now();
    const bool worth_printing = report.worth_printing() || exit_code != 0;
    if (!worth_printing) spdlog::info("No API response contained new data");
    publish_report(ro, worth_printing ? google::format_business_report(report) : "",
                   google::business_report_json(report));
    spdlog::info("exiting with code {}", exit_code);
    return exit_code;
}

}  // namespace gdx::jobs
