#include "google/business_profile.hpp"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "http/http_client.hpp"

namespace gdx::google {
namespace {

using nlohmann::json;

[[noreturn]] void malformed(const std::string& what, const std::string& why) {
    throw ApiError(fmt::format("{}: unexpected answer: {}", what, why), 200, ErrorKind::Data);
}

std::string string_member(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

date::sys_days read_date(const json& d, const std::string& what) {
    auto part = [&](const char* key) -> int {
        auto it = d.find(key);
        if (it == d.end() || !it->is_number_integer())
            malformed(what, fmt::format("a date without an integer `{}`", key));
        return it->get<int>();
    };
    if (!d.is_object()) malformed(what, "a datedValues entry without a `date` object");
    date::year_month_day ymd{date::year{part("year")},
                             date::month{static_cast<unsigned>(part("month"))},
                             date::day{static_cast<unsigned>(part("day"))}};
    if (!ymd.ok()) malformed(what, fmt::format("the date {} does not exist", d.dump()));
    return date::sys_days(ymd);
}

// `value` is an int64 as a string (Google's JSON mapping), absent when 0.
int64_t read_value(const json& entry, const std::string& what) {
    auto it = entry.find("value");
    if (it == entry.end() || it->is_null()) return 0;
    if (it->is_number_integer()) return it->get<int64_t>();
    if (!it->is_string()) malformed(what, "a `value` that is no integer");
    const std::string text = it->get<std::string>();
    int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size())
        malformed(what, fmt::format("the value \"{}\" is no integer", text));
    return v;
}

const json& array_member(const json& object, const char* key, const std::string& what) {
    static const json kEmpty = json::array();
    if (!object.is_object()) malformed(what, fmt::format("`{}`'s parent is no object", key));
    auto it = object.find(key);
    if (it == object.end()) return kEmpty;
    if (!it->is_array()) malformed(what, fmt::format("`{}` is no array", key));
    return *it;
}

}  // namespace

const std::vector<std::string>& known_daily_metrics() {
    static const std::vector<std::string> kMetrics = {"BUSINESS_IMPRESSIONS_DESKTOP_MAPS",
                                                      "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
                                                      "BUSINESS_IMPRESSIONS_MOBILE_MAPS",
                                                      "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
                                                      "BUSINESS_CONVERSATIONS",
                                                      "BUSINESS_DIRECTION_REQUESTS",
                                                      "CALL_CLICKS",
                                                      "WEBSITE_CLICKS",
                                                      "BUSINESS_BOOKINGS",
                                                      "BUSINESS_FOOD_ORDERS",
                                                      "BUSINESS_FOOD_MENU_CLICKS"};
    return kMetrics;
}

DailyMetricTable read_multi_daily_metrics(const json& answer,
                                          const std::vector<std::string>& metrics) {
    const std::string what = "fetchMultiDailyMetricsTimeSeries";
    DailyMetricTable table;
    // (date, metric) pairs already read: Google sends each once; a repeat keeps the first.
    std::map<date::sys_days, std::vector<bool>> seen;
    std::vector<bool> metric_seen(metrics.size(), false);
    for (const auto& outer : array_member(answer, "multiDailyMetricTimeSeries", what)) {
        for (const auto& series : array_member(outer, "dailyMetricTimeSeries", what)) {
            const std::string metric = string_member(series, "dailyMetric");
            auto at = std::find(metrics.begin(), metrics.end(), metric);
            if (at == metrics.end()) {
                table.warnings.push_back(
                    fmt::format("the answer has the metric \"{}\", which was not asked for; "
                                "ignored",
                                metric));
                continue;
            }
            const size_t index = static_cast<size_t>(at - metrics.begin());
            metric_seen[index] = true;
            auto ts = series.find("timeSeries");
            if (ts == series.end()) continue;
            for (const auto& entry : array_member(*ts, "datedValues", what)) {
                if (!entry.is_object()) malformed(what, "a datedValues entry is no object");
                auto d = entry.find("date");
                const date::sys_days day = read_date(d == entry.end() ? json() : *d, what);
                auto [row, fresh] = table.rows.try_emplace(day, metrics.size(), 0);
                auto& seen_day = seen.try_emplace(day, metrics.size(), false).first->second;
                if (seen_day[index]) {
                    table.warnings.push_back(fmt::format("{} of {} came twice; the first kept",
                                                         metric, date::format("%F", day)));
                    continue;
                }
                seen_day[index] = true;
                row->second[index] = read_value(entry, what);
            }
        }
    }
    for (size_t i = 0; i < metrics.size(); ++i)
        if (!metric_seen[i])
            table.warnings.push_back(
                fmt::format("the answer has no series of {}; its values are 0", metrics[i]));
    return table;
}

std::string multi_daily_metrics_query(const std::vector<std::string>& metrics, date::sys_days start,
                                      date::sys_days end) {
    std::string q;
    for (const auto& m : metrics) q += (q.empty() ? "" : "&") + ("dailyMetrics=" + m);
    auto add_date = [&](const char* side, date::sys_days day) {
        const date::year_month_day ymd(day);
        q += fmt::format(
            "&daily_range.{0}_date.year={1}&daily_range.{0}_date.month={2}"
            "&daily_range.{0}_date.day={3}",
            side, static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
            static_cast<unsigned>(ymd.day()));
    };
    add_date("start", start);
    add_date("end", end);
    return q;
}

void BusinessProfile::each_page(const std::string& url, const std::string& what,
                                const std::function<void(const json&)>& on_page) {
    std::string token;
    for (int page = 1;; ++page) {
        std::string page_url = url;
        if (!token.empty()) page_url += "&pageToken=" + http::percent_encode(token);
        json answer = api_.call("GET", page_url, "", fmt::format("{} (page {})", what, page));
        on_page(answer);
        token = string_member(answer, "nextPageToken");
        if (token.empty()) return;
    }
}

std::vector<GbpAccount> BusinessProfile::accounts() {
    std::vector<GbpAccount> out;
    const std::string what = "accounts.list";
    each_page(hosts_.accounts + "/v1/accounts?pageSize=20", what, [&](const json& page) {
        for (const auto& a : array_member(page, "accounts", what)) {
            if (!a.is_object() || string_member(a, "name").empty())
                malformed(what, "an account without a name");
            out.push_back({string_member(a, "name"), string_member(a, "accountNumber"),
                           string_member(a, "type")});
        }
    });
    return out;
}

std::vector<GbpLocation> BusinessProfile::locations(const std::string& account) {
    std::vector<GbpLocation> out;
    const std::string what = "locations.list of " + account;
    each_page(hosts_.information + "/v1/" + account + "/locations?pageSize=100&readMask=name,title",
              what, [&](const json& page) {
                  for (const auto& l : array_member(page, "locations", what)) {
                      if (!l.is_object() || string_member(l, "name").empty())
                          malformed(what, "a location without a name");
                      out.push_back({string_member(l, "name"), string_member(l, "title")});
                  }
              });
    return out;
}

DailyMetricTable BusinessProfile::daily_metrics(const std::string& location,
                                                const std::vector<std::string>& metrics,
                                                date::sys_days start, date::sys_days end) {
    const std::string url = hosts_.performance + "/v1/" + location +
                            ":fetchMultiDailyMetricsTimeSeries?" +
                            multi_daily_metrics_query(metrics, start, end);
    return read_multi_daily_metrics(
        api_.call("GET", url, "", "fetchMultiDailyMetricsTimeSeries " + location), metrics);
}

}  // namespace gdx::google
