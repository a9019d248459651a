#include "jobs/sfts_report.hpp"

#include <fmt/format.h>

#include "util/time_format.hpp"

namespace gdx::jobs {
namespace {

void list(std::string& out, const std::string& title, const std::vector<std::string>& keys) {
    if (keys.empty()) return;
    out += "\n" + title + "\n";
    for (size_t i = 0; i < keys.size(); ++i) out += fmt::format("{}: {}\n", i + 1, keys[i]);
}

}  // namespace

std::string format_sfts_report(const SftsReport& r) {
    using namespace std::chrono;
    std::string out = "Report: gdx s3-to-sfts\n\n";
    out += "Config: " + r.config_path + "\n";
    out += r.success() ? "***The microservice ran successfully***\n\n"
                       : "*** ATTN: The microservice ran unsuccessfully. ***\n\n";
    out += fmt::format("\nMicroservice started at: {}, ended at: {}, elapsing: {}.\n",
                       util::format_vancouver(r.start), util::format_vancouver(r.end),
                       util::format_timedelta(duration_cast<microseconds>(r.end - r.start)));
    out += fmt::format("\nItems to process: {}\n", r.items);
    out += fmt::format("Objects successfully processed to sfts: {}\n", r.sent.size());
    out += fmt::format("Objects that failed to process to sfts: {}\n", r.send_failed.size());
    out += fmt::format("Objects successfully processed to s3: {}\n",
                       r.marked_good.size() + r.marked_bad.size());
    out += fmt::format("Objects that failed to process to s3: {}\n", r.mark_failed.size());
    list(out, "List of objects processed to sfts:", r.sent);
    list(out, "List of objects that failed to process to sfts:", r.send_failed);
    list(out, "List of objects copied to S3 good archives:", r.marked_good);
    list(out, "List of objects copied to S3 bad archives:", r.marked_bad);
    list(out, "List of objects that failed to copy to S3 good archives:", r.mark_failed);
    return out;
}

nlohmann::json sfts_report_json(const SftsReport& r) {
    using namespace std::chrono;
    return {{"job", "s3-to-sfts"},
            {"config", r.config_path},
            {"start", util::format_vancouver(r.start)},
            {"end", util::format_vancouver(r.end)},
            {"elapsed_seconds", duration<double>(r.end - r.start).count()},
            {"success", r.success()},
            {"items", r.items},
            {"sent", r.sent},
            {"send_failed", r.send_failed},
            {"marked_good", r.marked_good},
            {"mark_failed", r.mark_failed},
            {"marked_bad", r.marked_bad}};
}

}  // namespace gdx::jobs
