#pragma once
// The blocks of `gdx google-business` below the orchestration: which days a location needs
// (docs/google.md), the key and bytes of its object, and how the shared loader reads it back.
#include <optional>
#include <string>
#include <vector>

#include <date/date.h>

#include "config/google_business_config.hpp"
#include "google/business_profile.hpp"
#include "jobs/transform_object.hpp"
#include "store/object_store.hpp"
#include "types/column_type.hpp"

namespace gdx::jobs {

struct LocationRange {
    date::sys_days start, end;  // inclusive
    bool fetch = false;         // false: the warehouse is current (start >= end)
};

// start: the group's start_date, else today − 18 months + 1 day; after that the day after
// the warehouse's last date (`last`) when that is later. end: the group's end_date, else
// today − 3 days. Fetched only when start < end (a one-day range waits, as the original did).
LocationRange location_range(const config::GoogleBusinessGroup& group,
                             std::optional<date::sys_days> last, date::sys_days today);

// "<prefix><client>/gmb_<title>_<start>_<end>.csv" with each space of the title turned into
// '-' (as the original) and each '/' into '_' (so a title adds no key level).
std::string business_object_key(const std::string& prefix, const std::string& client,
                                const std::string& title, date::sys_days start, date::sys_days end);
// What every key of a range starting on `start` begins with:
// "<prefix><client>/gmb_<title>_<start>_".
std::string business_object_key_prefix(const std::string& prefix, const std::string& client,
                                       const std::string& title, date::sys_days start);

// The object's column names: date, client, location, location_id, then the metrics in lower
// case, in config order.
std::vector<std::string> business_columns(const std::vector<std::string>& metrics);

// Writes the object: the header, then one line per date, '|'-separated with `\`, `|`, LF and
// CR escaped by a backslash (what COPY ... DELIMITER '|' ESCAPE reads). Commits it.
void write_business_object(store::ObjectWriter& out, const std::vector<std::string>& columns,
                           const google::DailyMetricTable& table, const std::string& client,
                           const std::string& title, const std::string& location_id);

// How the shared loader reads it: '|', backslash escapes, a header, no NA tokens (a title
// "null" is text). Column i loads into the table's i-th column, as COPY maps them.
TransformSpec business_object_spec(const types::TableSchema& table,
                                   const std::vector<std::string>& columns);

}  // namespace gdx::jobs
