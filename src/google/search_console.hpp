#pragma once
// The Search Analytics query of one property and one day (docs/google.md): dimensions
// date, query, country, device, page; rowLimit 25,000; startRow paging until a page comes back
// without `rows`; a pause (0.25 s × GDX_BACKOFF_SCALE) before each day's first page.
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "google/api_client.hpp"

namespace gdx::google {

inline constexpr int kSearchRowLimit = 25000;
// Search Console serves at most this many rows per property, day and search type: a day that
// reaches it is probably cut by Google (logged; nothing to page for).
inline constexpr uint64_t kSearchDailyRowCap = 50000;

// POST URL of the query for `site` (percent-encoded entirely, ':' and '/' included).
std::string search_analytics_url(const std::string& base, const std::string& site);

// The request body of one page, in the original's key order.
std::string search_analytics_body(const std::string& day, int64_t start_row);

class SearchConsole {
public:
    SearchConsole(ApiClient& api, std::string base, double pacing_scale)
        : api_(api), base_(std::move(base)), pacing_scale_(pacing_scale) {}

    // Fetches every page of `day` and hands each page's `rows` array to on_rows, in order.
    // Returns the number of rows. Throws ApiError / AuthError.
    uint64_t fetch_day(const std::string& site, const std::string& day,
                       const std::function<void(const nlohmann::json& rows)>& on_rows);

private:
    ApiClient& api_;
    std::string base_;
    double pacing_scale_;
};

}  // namespace gdx::google
