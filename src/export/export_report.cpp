#include "export/export_report.hpp"

#include <fmt/format.h>

#include "util/time_format.hpp"

namespace gdx::exports {
namespace {

void numbered(std::string& out, const std::vector<std::string>& items, const char* sep) {
    for (size_t i = 0; i < items.size(); ++i) out += fmt::format("{}{} {}\n", i + 1, sep, items[i]);
}

// "Objects <what> to s3 /<where>: N" and its numbered list, when there is any.
void section(std::string& out, const char* what, const char* where,
             const std::vector<std::string>& items) {
    if (items.empty()) return;
    out += fmt::format("Objects {} to s3 /{}: {}\n", what, where, items.size());
    out += fmt::format("\nList of objects {} to S3 /{}:\n", what, where);
    numbered(out, items, ":");
}

}  // namespace

std::string format_export_report(const ExportReport& r, const std::string& log_path) {
    std::string out;
    if (r.attention())
        out += fmt::format(
            "\n*** ATTN: The microservice ran unsuccessfully. Please investigate {} ***\n\n",
            log_path);
    else
        out += "\n***The microservice ran successfully***\n\n";
    out += "Report: gdx " + r.job + "\n\n";
    out += "Config: " + r.config_path + "\n\n";
    out += "DML: " + r.dml + "\n\n";
    if (r.requested_dates)
        out += fmt::format("Requested Dates: {} to {}\n\n", r.requested_dates->first,
                           r.requested_dates->second);
    out += fmt::format("Microservice started at: {}, ended at: {}, elapsing: {}.\n\n",
                       util::format_vancouver(r.start), util::format_vancouver(r.end),
                       util::format_timedelta(
                           std::chrono::duration_cast<std::chrono::microseconds>(r.end - r.start)));
    const size_t ok = r.loaded.size(), failed = r.failed.size();
    out += fmt::format("\nObjects loaded to S3 /batch: {}/{}\n", ok, ok + failed);
    if (ok) {
        out += fmt::format("Objects successfully loaded to S3 /batch: {}\n", ok);
        out += "\nList of objects successfully loaded to S3 /batch\n";
        numbered(out, r.loaded, ".");
    }
    if (failed) {
        out += fmt::format("\nObjects unsuccessfully loaded to S3 /batch: {}\n", failed);
        out += "\nList of objects unsuccessfully loaded to S3 /batch:\n";
        numbered(out, r.failed, ".");
    }
    if (!r.empty_exports.empty()) {
        out += fmt::format("\nQueries that returned no rows (no object written): {}\n",
                           r.empty_exports.size());
        numbered(out, r.empty_exports, ".");
    }
    if (!r.failure.empty()) out += "\nStopped: " + r.failure + "\n";
    out += fmt::format("\n\nObjects to store: {}\n", r.to_store);
    section(out, "stored", "client", r.stored);
    section(out, "not stored", "client", r.not_stored);
    out += fmt::format("\n\nObjects to process: {}\n", r.to_store);
    section(out, "processed", "good", r.good);
    section(out, "processed", "bad", r.bad);
    return out;
}

nlohmann::json export_report_json(const ExportReport& r) {
    nlohmann::json j;
    j["job"] = r.job;
    j["config"] = r.config_path;
    j["dml"] = r.dml;
    if (r.requested_dates)
        j["requested_dates"] = {{"start", r.requested_dates->first},
                                {"end", r.requested_dates->second}};
    j["start"] = util::format_vancouver(r.start);
    j["end"] = util::format_vancouver(r.end);
    j["elapsed_seconds"] = std::chrono::duration<double>(r.end - r.start).count();
    j["success"] = !r.attention();
    j["failure"] = r.failure;
    j["batch_loaded"] = r.loaded;
    j["batch_failed"] = r.failed;
    j["batch_empty"] = r.empty_exports;
    j["objects_to_store"] = r.to_store;
    j["stored"] = r.stored;
    j["not_stored"] = r.not_stored;
    j["good"] = r.good;
    j["bad"] = r.bad;
    return j;
}

}  // namespace gdx::exports
