#pragma once
// ISO-8601 dates and times as the original cmslite-metadata read them (pandas' ISO parser):
//   YYYY-MM-DD
//   YYYY-MM-DD[T| ]HH:MM[:SS[(.|,)fraction]][Z|±HH[:MM]|±HHMM]
// Each value is parsed on its own. The fields are kept as written: an offset is recorded
// (has_offset, offset_seconds) but not applied. Fractions beyond microseconds are truncated.
#include <string_view>

#include "transform/strptime.hpp"

namespace gdx::transform {

// True and `out` filled when `value` is such a date or time and a valid one (year 0001–9999,
// a real calendar day, hour < 24, minute and second < 60, offset < 24 h).
bool parse_iso8601(std::string_view value, ParsedTime& out);

}  // namespace gdx::transform
