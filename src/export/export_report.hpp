#pragma once
// End-of-run report of `gdx redshift-to-s3`: the original's stdout text, with true counts, and
// JSON for --report-json.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::exports {

struct ExportReport {
    std::string job = "redshift-to-s3";
    std::string config_path;
    std::string dml;
    std::optional<std::pair<std::string, std::string>> requested_dates;  // start, end
    std::chrono::system_clock::time_point start, end;
    // Exports of this run: <batch prefix>/<object_key>, written (loaded) or failed; an export
    // whose query returned no rows writes no object and is listed in `empty_exports`.
    std::vector<std::string> loaded, failed, empty_exports;
    std::string failure;  // why the run stopped early, when it did
    size_t to_store = 0;  // unprocessed batch objects found
    std::vector<std::string> stored, not_stored, good, bad;
    bool attention() const {
        return !failed.empty() || !not_stored.empty() || !bad.empty() || !failure.empty();
    }
};

// The original layout ("Report:", "Config:", "DML:", "Requested Dates:", times, then the
// /batch, /client and /good|/bad sections); `log_path` is named in the ATTN line.
std::string format_export_report(const ExportReport& report, const std::string& log_path);

nlohmann::json export_report_json(const ExportReport& report);

}  // namespace gdx::exports
