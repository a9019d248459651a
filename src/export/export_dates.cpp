#include "export/export_dates.hpp"

#include <date/date.h>
#include <fmt/format.h>

namespace gdx::exports {
namespace {

bool digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

std::optional<date::year_month_day> parse_compact(std::string_view s) {
    if (s.size() != 8 || !digits(s)) return std::nullopt;
    const int y = std::stoi(std::string(s.substr(0, 4)));
    const unsigned m = static_cast<unsigned>(std::stoi(std::string(s.substr(4, 2))));
    const unsigned d = static_cast<unsigned>(std::stoi(std::string(s.substr(6, 2))));
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

}  // namespace

std::string compact_date(std::string_view text) {
    std::string out;
    if (text.size() >= 10 && text[4] == '-' && text[7] == '-')
        out = std::string(text.substr(0, 4)) + std::string(text.substr(5, 2)) +
              std::string(text.substr(8, 2));
    else
        out = std::string(text.substr(0, 8));
    if (!parse_compact(out)) throw DateError(fmt::format("\"{}\" is not a date", text));
    return out;
}

std::string add_days(const std::string& yyyymmdd, int days) {
    auto ymd = parse_compact(yyyymmdd);
    if (!ymd) throw DateError(fmt::format("\"{}\" is not a date YYYYMMDD", yyyymmdd));
    return date::format("%Y%m%d", date::sys_days(*ymd) + date::days(days));
}

std::optional<std::string> unsent_start(const std::vector<std::string>& keys,
                                        std::vector<std::string>* skipped) {
    std::optional<std::string> newest;
    for (const auto& key : keys) {
        const std::string_view name = std::string_view(key).substr(key.rfind('/') + 1);
        // The third '_'-separated element from the end is the end date.
        std::vector<std::string_view> parts;
        for (size_t from = 0;;) {
            const size_t us = name.find('_', from);
            parts.push_back(name.substr(from, us == std::string_view::npos ? us : us - from));
            if (us == std::string_view::npos) break;
            from = us + 1;
        }
        const bool found = parts.size() >= 3;
        const std::string_view end_date = found ? parts[parts.size() - 3] : std::string_view();
        if (!found || !parse_compact(end_date)) {
            if (skipped) skipped->push_back(key);
            continue;
        }
        if (!newest || end_date > *newest) newest = std::string(end_date);
    }
    if (!newest) return std::nullopt;
    return add_days(*newest, 1);
}

DateRange resolve_dates(const config::DateSpec& start, const config::DateSpec& end,
                        const DateSources& sources, std::vector<std::string>* notes) {
    auto from_table = [&](bool max) {
        auto value = sources.table_date(max);
        if (!value)
            throw DateError(
                fmt::format("{}(date) of {} is NULL (the table is empty): no date range "
                            "to export",
                            max ? "max" : "min", kDateTable));
        return compact_date(*value);
    };
    auto resolve = [&](const config::DateSpec& spec) -> std::string {
        switch (spec.source) {
            case config::DateSource::Literal:
                return spec.literal;
            case config::DateSource::Min:
                return from_table(false);
            case config::DateSource::Max:
                return from_table(true);
            case config::DateSource::Unsent: {
                std::vector<std::string> keys = sources.good_keys();
                std::vector<std::string> skipped;
                auto next = unsent_start(keys, &skipped);
                for (const auto& k : skipped)
                    if (notes)
                        notes->push_back(fmt::format(
                            "unsent: {} has no <start>_<end>_<timestamp> dates; ignored", k));
                if (next) return *next;
                if (!keys.empty())
                    throw DateError(
                        "unsent: none of the good markers' names holds an end date, so the "
                        "next start date is unknown");
                std::string fallback = local_date_minus(sources.clock, 3);
                if (notes)
                    notes->push_back("unsent: no good marker yet; starting 3 days ago, " +
                                     fallback);
                return fallback;
            }
        }
        return {};
    };
    DateRange r{resolve(start), resolve(end)};
    if (r.start > r.end)
        throw DateError(
            fmt::format("Start_date: {} cannot be greater than end_date: {}.", r.start, r.end));
    return r;
}

}  // namespace gdx::exports
