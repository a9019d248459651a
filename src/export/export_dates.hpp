#pragma once
// The date range an export covers (`start_date`/`end_date`): literal YYYYMMDD dates, the
// oldest/newest date of the table (`min`/`max`), or `unsent`: the day after the newest end
// date already stored (read from the good markers' names).
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "config/redshift_to_s3_config.hpp"
#include "export/run_clock.hpp"

namespace gdx::exports {

// The range cannot be resolved (empty table, start after end, a marker name without dates):
// the run stops with exit 1 and its report.
class DateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct DateRange {
    std::string start, end;  // YYYYMMDD
};

// Where min/max come from: the hard-coded table of the original.
inline constexpr const char* kDateTable = "google.google_mybusiness_servicebc_derived";

struct DateSources {
    // The table's MIN(date) (max = false) or MAX(date), as the warehouse prints it; nullopt for
    // NULL (an empty table).
    std::function<std::optional<std::string>(bool max)> table_date;
    // Every key under the good prefix (all pages).
    std::function<std::vector<std::string>()> good_keys;
    RunClock clock;
};

// "2024-02-15", "2024-02-15 00:00:00", "20240215" → "20240215". Throws DateError otherwise.
std::string compact_date(std::string_view text);

// YYYYMMDD + `days`.
std::string add_days(const std::string& yyyymmdd, int days);

// The greatest end date found in `keys` (…_<start>_<end>_<timestamp>_partNNN), plus one day;
// nullopt when no key has that shape. Keys of another shape go to `skipped`.
std::optional<std::string> unsent_start(const std::vector<std::string>& keys,
                                        std::vector<std::string>* skipped);

// Resolves both ends; `notes` receives what a log reader needs (skipped keys, the empty-prefix
// default of today − 3 days). Throws DateError.
DateRange resolve_dates(const config::DateSpec& start, const config::DateSpec& end,
                        const DateSources& sources, std::vector<std::string>* notes);

}  // namespace gdx::exports
