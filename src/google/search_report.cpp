#include "google/search_report.hpp"

#include <fmt/format.h>

#include "google/report_text.hpp"
#include "util/time_format.hpp"

namespace gdx::google {
namespace {

const char* dt_text(DerivedTable dt) {
    switch (dt) {
        case DerivedTable::Built:
            return "built";
        case DerivedTable::Failed:
            return "failed";
        default:
            return "not attempted";
    }
}

}  // namespace

std::string format_search_report(const SearchReport& r) {
    std::string out;
    out += "Report: gdx google-search\n\n";
    out += fmt::format("Config: {}\n\n", r.config_path);
    if (r.interrupted) out += "*** The run was interrupted (SIGINT) ***\n\n";
    switch (r.dt) {
        case DerivedTable::Built:
            out +=
                fmt::format("Derived table build started at: {}, ended at: {}, elapsing: {}.\n\n",
                            util::format_vancouver(r.dt_start), util::format_vancouver(r.dt_end),
                            util::format_timedelta(between(r.dt_start, r.dt_end)));
            break;
        case DerivedTable::Failed:
            out += "*** Derived table build failed; see the log ***\n\n";
            break;
        case DerivedTable::NotAttempted:
            out += "Derived table build not attempted.\n\n";
            break;
    }
    out += fmt::format("Microservice started at: {}, ended at: {}, elapsing: {}.\n\n",
                       util::format_vancouver(r.start), util::format_vancouver(r.end),
                       util::format_timedelta(between(r.start, r.end)));
    out += fmt::format("Sites to process: {}\n", r.sites);
    out += fmt::format("Successful API calls: {}\n", r.retrieved);
    out += fmt::format("Failed API calls: {}\n", r.failed_api);
    out += fmt::format("Failed loads to RedShift: {}\n", r.failed_rs);
    append_numbered_list(out, "Objects loaded to S3 and copied to RedShift:", r.processed);
    append_numbered_list(out, "List of objects that failed to copy to Redshift:", r.failed_to_rs);
    append_numbered_list(
        out, "List of sites that were not processed due to early exit:", r.not_processed);
    append_numbered_list(out,
                         "List of sites that were not processed because they are not verified:",
                         r.failed_verification);
    return out;
}

nlohmann::json search_report_json(const SearchReport& r) {
    return {{"job", "google-search"},
            {"config", r.config_path},
            {"start", util::format_vancouver(r.start)},
            {"end", util::format_vancouver(r.end)},
            {"elapsed_seconds", static_cast<double>(between(r.start, r.end).count()) / 1e6},
            {"sites", r.sites},
            {"retrieved", r.retrieved},
            {"no_new_data", r.no_new_data},
            {"failed_api", r.failed_api},
            {"failed_rs", r.failed_rs},
            {"processed", r.processed},
            {"failed_to_rs", r.failed_to_rs},
            {"not_processed", r.not_processed},
            {"failed_verification", r.failed_verification},
            {"derived_table", dt_text(r.dt)},
            {"interrupted", r.interrupted}};
}

}  // namespace gdx::google
