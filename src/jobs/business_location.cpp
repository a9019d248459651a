#include "jobs/business_location.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "csv/batch_writer.hpp"
#include "csv/encoding.hpp"
#include "google/settings.hpp"
#include "transform/column_plan.hpp"

namespace gdx::jobs {
namespace {

using date::days;

// Calendar months back, the day clamped to the month's last (2026-08-31 − 18 months is
// 2025-02-28), as Python's relativedelta does.
date::sys_days months_before(date::sys_days day, int months) {
    date::year_month_day ymd(day);
    date::year_month_day back = ymd - date::months(months);
    if (!back.ok()) back = back.year() / back.month() / date::last;
    return date::sys_days(back);
}

}  // namespace

LocationRange location_range(const config::GoogleBusinessGroup& group,
                             std::optional<date::sys_days> last, date::sys_days today) {
    LocationRange r;
    r.start = group.start_date ? *google::parse_iso_date(*group.start_date)
                               : months_before(today, 18) + days(1);
    if (last && *last >= r.start) r.start = *last + days(1);
    r.end = group.end_date ? *google::parse_iso_date(*group.end_date) : today - days(3);
    r.fetch = r.start < r.end;
    return r;
}

std::string business_object_key_prefix(const std::string& prefix, const std::string& client,
                                       const std::string& title, date::sys_days start) {
    std::string name = title;
    std::replace(name.begin(), name.end(), ' ', '-');
    std::replace(name.begin(), name.end(), '/', '_');
    return fmt::format("{}{}/gmb_{}_{}_", prefix, client, name, google::iso_date(start));
}

std::string business_object_key(const std::string& prefix, const std::string& client,
                                const std::string& title, date::sys_days start,
                                date::sys_days end) {
    return business_object_key_prefix(prefix, client, title, start) + google::iso_date(end) +
           ".csv";
}

std::vector<std::string> business_columns(const std::vector<std::string>& metrics) {
    std::vector<std::string> columns = {"date", "client", "location", "location_id"};
    for (std::string m : metrics) {
        for (char& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        columns.push_back(std::move(m));
    }
    return columns;
}

void write_business_object(store::ObjectWriter& out, const std::vector<std::string>& columns,
                           const google::DailyMetricTable& table, const std::string& client,
                           const std::string& title, const std::string& location_id) {
    csv::BatchWriter writer(out, 64 * 1024);
    writer.header(columns);
    for (const auto& [day, values] : table.rows) {
        writer.field(google::iso_date(day));
        writer.field(client);
        writer.field(title);
        writer.field(location_id);
        for (int64_t v : values) writer.field(std::to_string(v));
        writer.end_row();
    }
    writer.flush();
    out.commit();
}

TransformSpec business_object_spec(const types::TableSchema& table,
                                   const std::vector<std::string>& columns) {
    TransformSpec spec;
    spec.encoding = csv::resolve_encoding("utf-8");
    spec.csv.delimiter = '|';
    spec.csv.quoting = false;
    spec.csv.backslash_escapes = true;
    spec.has_header = true;
    transform::ColumnEdits edits;
    edits.columns = columns;
    edits.keep_default_na = false;
    spec.plan = transform::compile_column_plan(edits, &table);
    return spec;
}

}  // namespace gdx::jobs
