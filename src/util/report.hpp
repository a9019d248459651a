#pragma once
// End-of-run report: the original's stdout text (docs/semantics.md#report) and JSON for
// --report-json.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/time_format.hpp"

namespace gdx::util {

// A bad object as --report-json lists it: what failed, where, and the sidecar that says more.
struct BadObject {
    std::string key;
    std::string error;
    uint64_t line = 0;  // 0: not applicable
    uint32_t column = 0;
    std::string sidecar;
};

struct RunReport {
    std::string job;          // subcommand, e.g. "s3-to-redshift"
    std::string config_path;  // as given on the command line
    std::chrono::system_clock::time_point start, end;
    uint64_t objects = 0;    // selected for this run
    uint64_t processed = 0;  // successfully processed
    uint64_t failed = 0;     // failed to process
    uint64_t good = 0;       // copied to <destination>/good
    uint64_t bad = 0;        // copied to <destination>/bad
    uint64_t loaded = 0;     // loaded into the warehouse
    uint64_t empty = 0;
    uint64_t repaired = 0;  // committed earlier, good copy finished now (docs/semantics.md)
    std::vector<std::string> good_list, bad_list, incomplete_list, empty_list, repaired_list;
    std::vector<std::string> tables;        // tables loaded (JSON only)
    std::vector<std::string> skipped_list;  // selected, but claimed by a concurrent run
    std::vector<BadObject> bad_objects;     // JSON only
    // The warehouse's URI scheme: the text report says "Redshift" only when it is Redshift.
    std::string warehouse = "redshift";
};

// The original layout, with "Report: gdx <job>", the real `log_path` in the ATTN line
// (printed when failed or bad > 0) and one extra line
// "Objects repaired (already loaded, copy finished): N" only when repaired > 0, plus a
// numbered "List of objects repaired ..." when repaired_list is not empty.
// Callers print it only when objects > 0 (as the original).
std::string format_report_text(const RunReport& report, const std::string& log_path);

// {"job","config","start","end" (Vancouver text), "start_utc","end_utc" (ISO 8601 UTC),
//  "elapsed_seconds", "elapsed" (timedelta text), counters..., lists..., "tables"}.
nlohmann::json report_to_json(const RunReport& report);

}  // namespace gdx::util
