#pragma once
// The end-of-run report of `gdx google-search`: the original's stdout text (cron mails it)
// and JSON for --report-json.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::google {

enum class DerivedTable { NotAttempted, Built, Failed };

struct SearchReport {
    std::string config_path;
    std::chrono::system_clock::time_point start, end, dt_start, dt_end;
    uint64_t sites = 0;
    uint64_t retrieved = 0;    // sites whose API calls all succeeded
    uint64_t no_new_data = 0;  // sites already current + windows without rows
    uint64_t failed_api = 0;
    uint64_t failed_rs = 0;
    std::vector<std::string> processed;            // s3://bucket/key of loaded objects
    std::vector<std::string> failed_to_rs;         // objects whose load failed
    std::vector<std::string> not_processed;        // sites left when the run stopped early
    std::vector<std::string> failed_verification;  // sites whose API calls failed for good
    DerivedTable dt = DerivedTable::NotAttempted;
    bool interrupted = false;

    // True when there is something to say (the original printed nothing when every site was
    // current or empty).
    bool worth_printing() const { return no_new_data != sites || failed_api || failed_rs; }
};

std::string format_search_report(const SearchReport& report);
nlohmann::json search_report_json(const SearchReport& report);

}  // namespace gdx::google
