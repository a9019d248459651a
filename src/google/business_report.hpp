#pragma once
// The end-of-run report of `gdx google-business`: the original's stdout text (cron mails it)
// and JSON for --report-json.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::google {

struct BusinessReport {
    std::string config_path;
    std::chrono::system_clock::time_point start, end;
    uint64_t locations = 0;                     // locations seen
    uint64_t no_new_data = 0;                   // locations the warehouse already had up to date
    uint64_t retrieved = 0;                     // locations whose metrics call succeeded
    uint64_t not_retrieved = 0;                 // locations whose metrics call failed for good
    uint64_t loaded = 0;                        // objects loaded
    uint64_t failed_loads = 0;                  // objects that went to bad
    std::vector<std::string> good;              // s3://bucket/key of loaded objects
    std::vector<std::string> bad;               // objects whose load failed
    std::vector<std::string> failed_locations;  // titles whose metrics could not be had
    std::vector<std::string> skipped_groups;    // config groups without a matching account
    bool interrupted = false;

    // False when every location was current and nothing failed (the original then printed
    // nothing).
    bool worth_printing() const {
        return no_new_data != locations || not_retrieved || failed_loads ||
               !skipped_groups.empty() || interrupted;
    }
};

std::string format_business_report(const BusinessReport& report);
nlohmann::json business_report_json(const BusinessReport& report);

}  // namespace gdx::google
