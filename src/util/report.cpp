#include "util/report.hpp"

#include <date/date.h>
#include <string_view>

#include <fmt/format.h>

namespace gdx::util {
namespace {

void append_list(std::string& out, std::string_view title, const std::vector<std::string>& keys) {
    if (keys.empty()) return;
    out += fmt::format("\n{}\n", title);
    for (size_t i = 0; i < keys.size(); ++i) out += fmt::format("{}: {}\n", i + 1, keys[i]);
}

std::chrono::microseconds elapsed(const RunReport& r) {
    return std::chrono::duration_cast<std::chrono::microseconds>(r.end - r.start);
}

std::string iso_utc(std::chrono::system_clock::time_point t) {
    return date::format("%Y-%m-%dT%H:%M:%SZ", std::chrono::floor<std::chrono::microseconds>(t));
}

}  // namespace

std::string format_report_text(const RunReport& r, const std::string& log_path) {
    std::string out;
    out += fmt::format("Report: gdx {}\n\n", r.job);
    out += fmt::format("Config: {}\n\n", r.config_path);
    if (r.failed > 0 || r.bad > 0)
        out += fmt::format("*** ATTN: A failure occurred. Please investigate {} ***\n\n", log_path);
    out += fmt::format("Microservice started at: {}, ended at: {}, elapsing: {}.\n\n",
                       format_vancouver(r.start), format_vancouver(r.end),
                       format_timedelta(elapsed(r)));
    out += fmt::format("Objects to process: {}\n", r.objects);
    out += fmt::format("Objects successfully processed: {}\n", r.processed);
    out += fmt::format("Objects that failed to process: {}\n", r.failed);
    out += fmt::format("Objects output to 'processed/good': {}\n", r.good);
    out += fmt::format("Objects output to 'processed/bad': {}\n", r.bad);
    const std::string target = r.warehouse == "redshift"
                                   ? std::string("Redshift")
                                   : fmt::format("the warehouse ({})", r.warehouse);
    out += fmt::format("Objects loaded to {}: {}\n", target, r.loaded);
    out += fmt::format("Empty Objects: {}\n", r.empty);
    if (r.repaired > 0)
        out += fmt::format("Objects repaired (already loaded, copy finished): {}\n", r.repaired);
    if (!r.skipped_list.empty())
        out += fmt::format("Objects skipped (claimed by another run): {}\n", r.skipped_list.size());
    out += "\n";
    append_list(out,
                "List of objects successfully fully ingested from S3, processed, loaded to S3 "
                "('good'), and copied to " +
                    target + ":",
                r.good_list);
    append_list(out, "List of objects that failed to process:", r.bad_list);
    append_list(out,
                "List of objects that were not processed due to early exit:", r.incomplete_list);
    append_list(out, "List of empty objects:", r.empty_list);
    append_list(out, "List of objects repaired (already loaded, copy to 'good' finished):",
                r.repaired_list);
    append_list(out, "List of objects skipped (claimed by another run):", r.skipped_list);
    return out;
}

nlohmann::json report_to_json(const RunReport& r) {
    const auto us = elapsed(r);
    nlohmann::json bad_objects = nlohmann::json::array();
    for (const auto& b : r.bad_objects)
        bad_objects.push_back({{"key", b.key},
                               {"error", b.error},
                               {"line", b.line},
                               {"column", b.column},
                               {"sidecar", b.sidecar}});
    return nlohmann::json{
        {"job", r.job},
        {"config", r.config_path},
        {"start", format_vancouver(r.start)},
        {"end", format_vancouver(r.end)},
        {"start_utc", iso_utc(r.start)},
        {"end_utc", iso_utc(r.end)},
        {"elapsed_seconds", static_cast<double>(us.count()) / 1e6},
        {"elapsed", format_timedelta(us)},
        {"objects", r.objects},
        {"processed", r.processed},
        {"failed", r.failed},
        {"good", r.good},
        {"bad", r.bad},
        {"loaded", r.loaded},
        {"empty", r.empty},
        {"repaired", r.repaired},
        {"good_list", r.good_list},
        {"bad_list", r.bad_list},
        {"incomplete_list", r.incomplete_list},
        {"empty_list", r.empty_list},
        {"repaired_list", r.repaired_list},
        {"tables", r.tables},
        {"skipped_list", r.skipped_list},
        {"bad_objects", bad_objects},
        {"warehouse", r.warehouse},
    };
}

}  // namespace gdx::util
