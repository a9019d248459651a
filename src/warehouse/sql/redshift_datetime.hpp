#pragma once
// Redshift's date and time functions on ISO text, for backends that store dates and
// timestamps as text (SQLite): DATEADD, DATEDIFF, DATE_TRUNC, TO_CHAR, CONVERT_TIMEZONE,
// GETDATE and the casts to DATE/TIMESTAMP. Results are the text Redshift prints.
// See docs/redshift.md ("Functions on SQLite").
#include <date/date.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace gdx::warehouse::sql {

// A wall-clock date and time (no zone), microsecond resolution.
struct DateTime {
    date::sys_days day;
    std::chrono::microseconds time{0};  // since midnight
};

// 'YYYY-MM-DD' or 'YYYYMMDD', optionally followed by ' ' or 'T' and HH:MM[:SS[.f{1,6}]], and
// an optional 'Z' or ±HH[[:]MM] offset, which is ignored, as a cast to TIMESTAMP ignores it
// ('2023-10-10 13:55:36-07:00' is 13:55:36). Surrounding spaces are ignored. nullopt when
// not a date.
std::optional<DateTime> parse_datetime(std::string_view text);

// 'YYYY-MM-DD HH:MM:SS[.f]' (fraction only when not zero, trailing zeros dropped).
std::string format_timestamp(const DateTime& t);
// 'YYYY-MM-DD'.
std::string format_date(const DateTime& t);

// Canonical name of a Redshift date part ("d", "days", "DAY" → "day"; "mon" → "month",
// "qtr" → "quarter", "h"/"hr" → "hour", "m"/"min" → "minute", "s"/"sec" → "second",
// "ms" → "millisecond", "us" → "microsecond", "w" → "week", "y"/"yr" → "year", …).
// nullopt for an unknown part.
std::optional<std::string> canonical_date_part(std::string_view part);

// DATEADD(part, n, t): months and longer clamp the day to the month's end (Jan 31 + 1 month
// = Feb 28/29), as Redshift does. Throws std::invalid_argument for an unknown part.
DateTime date_add(std::string_view part, int64_t n, const DateTime& t);

// DATEDIFF(part, a, b): the number of part boundaries crossed from a to b (Redshift's rule:
// DATEDIFF(year, '2023-12-31', '2024-01-01') = 1). Weeks start on Monday.
int64_t date_diff(std::string_view part, const DateTime& a, const DateTime& b);

// DATE_TRUNC(part, t). Weeks start on Monday.
DateTime date_trunc(std::string_view part, const DateTime& t);

// TO_CHAR(t, format) with the PostgreSQL/Redshift template patterns: YYYY YYY YY Y, MM,
// MONTH Month month MON Mon mon, DD DDD D, DAY Day day DY Dy dy, HH24 HH12 HH, MI, SS, MS,
// US, AM PM am pm, Q, WW, IW, J, FM (no padding) and "quoted text"; other characters are
// copied.
std::string to_char(const DateTime& t, std::string_view format);

// CONVERT_TIMEZONE(source, target, t): t read as wall time in `source`, returned as wall
// time in `target`. Zone names are IANA names or UTC/GMT. Throws std::invalid_argument for
// an unknown zone.
DateTime convert_timezone(std::string_view source, std::string_view target, const DateTime& t);

// GETDATE(): the current UTC time in whole seconds, or, when GDX_NOW is set
// (YYYY-MM-DDTHH:MM:SS, local time as TZ says), that time converted to UTC. Throws
// ConfigError for a malformed GDX_NOW (util/run_clock.hpp).
DateTime redshift_getdate();
// SYSDATE: as GETDATE, with microseconds when the clock is not pinned.
DateTime redshift_sysdate();
// The instant GDX_NOW pins GETDATE() and SYSDATE to (UTC), or nullopt when it is not set.
std::optional<DateTime> pinned_getdate();

}  // namespace gdx::warehouse::sql
