#pragma once
// The Business Profile APIs of `gdx google-business` (docs/google.md): accounts and their
// locations, every page of each, and all daily metrics of one location in one
// fetchMultiDailyMetricsTimeSeries call. The retired v4 insights API is never called.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <date/date.h>
#include <nlohmann/json.hpp>

#include "google/api_client.hpp"

namespace gdx::google {

struct GbpAccount {
    std::string name;            // "accounts/<id>"
    std::string account_number;  // what a config's locations[].id matches; may be empty
    std::string type;            // PERSONAL, LOCATION_GROUP, ...
};

struct GbpLocation {
    std::string name;   // "locations/<id>"
    std::string title;  // the business's name
};

// Daily values of the requested metrics: one row per date any metric reported, the values in
// request order; a metric a date lacks is 0, as is a value Google left out.
struct DailyMetricTable {
    std::map<date::sys_days, std::vector<int64_t>> rows;
    std::vector<std::string> warnings;  // duplicates, metrics the answer lacked
};

// The DailyMetric names Google documents (DAILY_METRIC_UNKNOWN excluded).
const std::vector<std::string>& known_daily_metrics();

// Reads a fetchMultiDailyMetricsTimeSeries answer, whichever way it groups the series (all in
// one outer element, or one outer element per metric): every series is found by its
// dailyMetric. Throws ApiError (status 200) when the answer has not that shape.
DailyMetricTable read_multi_daily_metrics(const nlohmann::json& answer,
                                          const std::vector<std::string>& metrics);

// The query of one fetchMultiDailyMetricsTimeSeries call: dailyMetrics repeated, then the
// inclusive range in the snake_case spelling of Google's own examples.
std::string multi_daily_metrics_query(const std::vector<std::string>& metrics, date::sys_days start,
                                      date::sys_days end);

struct BusinessProfileHosts {
    std::string accounts;     // GDX_GBP_ACCOUNTS_BASE
    std::string information;  // GDX_GBP_INFO_BASE
    std::string performance;  // GDX_GBP_PERF_BASE
};

class BusinessProfile {
public:
    BusinessProfile(ApiClient& api, BusinessProfileHosts hosts)
        : api_(api), hosts_(std::move(hosts)) {}

    // Every account the caller can see, all pages, in Google's order.
    std::vector<GbpAccount> accounts();
    // Every location of `account` ("accounts/<id>"), all pages, name and title only.
    std::vector<GbpLocation> locations(const std::string& account);
    // All `metrics` of `location` ("locations/<id>") over [start, end], one call.
    DailyMetricTable daily_metrics(const std::string& location,
                                   const std::vector<std::string>& metrics, date::sys_days start,
                                   date::sys_days end);

private:
    // GETs base + path + query, following nextPageToken; hands each page to on_page.
    void each_page(const std::string& url, const std::string& what,
                   const std::function<void(const nlohmann::json&)>& on_page);

    ApiClient& api_;
    BusinessProfileHosts hosts_;
};

}  // namespace gdx::google
