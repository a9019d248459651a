#include "google/search_console.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "google/settings.hpp"
#include "http/http_client.hpp"

namespace gdx::google {

std::string search_analytics_url(const std::string& base, const std::string& site) {
    return base + "/webmasters/v3/sites/" + http::percent_encode(site) + "/searchAnalytics/query";
}

std::string search_analytics_body(const std::string& day, int64_t start_row) {
    nlohmann::ordered_json body{{"aggregationType", "auto"},
                                {"startDate", day},
                                {"endDate", day},
                                {"dimensions", {"date", "query", "country", "device", "page"}},
                                {"rowLimit", kSearchRowLimit},
                                {"startRow", start_row}};
    return body.dump();
}

uint64_t SearchConsole::fetch_day(const std::string& site, const std::string& day,
                                  const std::function<void(const nlohmann::json& rows)>& on_rows) {
    const std::string url = search_analytics_url(base_, site);
    scaled_sleep(std::chrono::milliseconds(250), pacing_scale_);  // the original's pacing
    uint64_t total = 0;
    for (int64_t page = 0;; ++page) {
        const int64_t start_row = page * kSearchRowLimit;
        nlohmann::json answer =
            api_.call("POST", url, search_analytics_body(day, start_row),
                      fmt::format("search analytics {} {} (startRow {})", site, day, start_row));
        auto rows = answer.find("rows");
        if (rows == answer.end()) {
            if (total >= kSearchDailyRowCap)
                spdlog::warn(
                    "{} {}: {} rows, Search Console's daily cap; Google does not serve the "
                    "rest of that day",
                    site, day, total);
            return total;
        }
        if (!rows->is_array())
            throw ApiError(fmt::format("search analytics {} {}: `rows` is not an array", site, day),
                           200, ErrorKind::Data);
        total += rows->size();
        on_rows(*rows);
    }
}

}  // namespace gdx::google
