#pragma once
// Filling a DML file's placeholder (`sql_parse_key`). The DML is written to sit inside the
// quoted literal of UNLOAD ('…'), so the values double their quotes as the DML does.
#include <string>
#include <string_view>
#include <vector>

namespace gdx::exports {

// `''<start>'' AND ''<end>''`: fills `… BETWEEN {pmrp_date_range}`.
std::string date_range_value(std::string_view start, std::string_view end);

// For each date D: `((cfms_poc.welcome_time >= (TIMESTAMP ''D'')) AND (cfms_poc.welcome_time <
// ((DATEADD(day,1, TIMESTAMP ''D''))))) `, joined by `OR `, ending with one space (the
// original's text byte for byte). `dates` must not be empty.
std::string date_list_value(const std::vector<std::string>& dates);

// `dml` with every `{<name>}` replaced by `value`; every other brace is left as it is.
// `replaced` (optional) receives the number of replacements.
std::string fill_placeholder(std::string_view dml, std::string_view name, std::string_view value,
                             size_t* replaced = nullptr);

}  // namespace gdx::exports
