#include "google/business_report.hpp"

#include <fmt/format.h>

#include "google/report_text.hpp"
#include "util/time_format.hpp"

namespace gdx::google {

std::string format_business_report(const BusinessReport& r) {
    std::string out;
    out += "Report: gdx google-business\n\n";
    out += fmt::format("Config: {}\n\n", r.config_path);
    if (r.interrupted) out += "*** The run was interrupted (SIGINT) ***\n\n";
    out += fmt::format("Microservice started at: {}, ended at: {}, elapsing: {}.\n\n",
                       util::format_vancouver(r.start), util::format_vancouver(r.end),
                       util::format_timedelta(between(r.start, r.end)));
    out += fmt::format("Locations to process: {}\n", r.locations);
    out += fmt::format("Successful API calls: {}\n", r.retrieved);
    out += fmt::format("Failed API calls: {}\n", r.not_retrieved);
    out += fmt::format("Successful loads to RedShift: {}\n", r.loaded);
    out += fmt::format("Failed loads to RedShift: {}\n", r.failed_loads);
    out += fmt::format("Files loads to S3 /good: {}\n", r.good.size());
    out += fmt::format("Files loads to S3 /bad: {}\n", r.bad.size());
    out += fmt::format("Sites failed due to hitting an error: {}\n", r.failed_locations.size());
    append_numbered_list(out, "Objects loaded to RedShift and copied to /good:", r.good);
    append_numbered_list(out, "Objects that failed to load to RedShift, copied to /bad:", r.bad);
    append_numbered_list(out,
                         "Locations whose metrics could not be retrieved:", r.failed_locations);
    append_numbered_list(out, "Location groups without API access (skipped):", r.skipped_groups);
    return out;
}

nlohmann::json business_report_json(const BusinessReport& r) {
    return {{"job", "google-business"},
            {"config", r.config_path},
            {"start", util::format_vancouver(r.start)},
            {"end", util::format_vancouver(r.end)},
            {"elapsed_seconds", static_cast<double>(between(r.start, r.end).count()) / 1e6},
            {"locations", r.locations},
            {"no_new_data", r.no_new_data},
            {"retrieved", r.retrieved},
            {"not_retrieved", r.not_retrieved},
            {"loaded", r.loaded},
            {"failed_loads", r.failed_loads},
            {"good", r.good},
            {"bad", r.bad},
            {"failed_locations", r.failed_locations},
            {"skipped_groups", r.skipped_groups},
            {"interrupted", r.interrupted}};
}

}  // namespace gdx::google
