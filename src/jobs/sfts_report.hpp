#pragma once
// The end-of-run report of s3-to-sfts: the original's text, with per-file lists.
#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::jobs {

struct SftsReport {
    std::string config_path;
    std::chrono::system_clock::time_point start, end;
    size_t items = 0;                      // selected for this run
    std::vector<std::string> sent;         // on the server (sent now, found there, or finished)
    std::vector<std::string> send_failed;  // not delivered; left unmarked (or marked bad)
    std::vector<std::string> marked_good;  // copied to the good archive
    std::vector<std::string> mark_failed;  // delivered, but the good copy failed (next run)
    std::vector<std::string> marked_bad;   // gave up after max_attempts: copied to bad

    bool success() const { return send_failed.empty() && mark_failed.empty(); }
};

std::string format_sfts_report(const SftsReport& r);
nlohmann::json sfts_report_json(const SftsReport& r);

}  // namespace gdx::jobs
