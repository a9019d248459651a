#pragma once
// The CSV lines of the Search Console object, byte for byte as the original wrote them
// (docs/google.md): `site|date|query|country|device|page|position|clicks|ctr|impressions`,
// no quoting, numbers as Python prints them, `|` and `\` removed from the keys. Unlike the
// original, the header line really is written (it overwrote it with the first rows).
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gdx::google {

inline constexpr std::string_view kSearchCsvHeader =
    "site|date|query|country|device|page|position|clicks|ctr|impressions\n";

// Python 3 str(float): the shortest digits that read back to v; fixed notation (with ".0"
// when whole) for decimal exponents -4..15, else d[.ddd]e±XX.
void append_python_float(std::string& out, double v);

// A JSON number as Python prints the value json.loads gives: an integer literal as its
// digits, anything else as a float.
void append_python_number(std::string& out, const nlohmann::json& v);

// clicks and impressions: as append_python_number, then every ".0" deleted (12.0 -> 12).
void append_python_count(std::string& out, const nlohmann::json& v);

// A key with every `|` and `\` removed; CR and LF become spaces (one row is one line).
void append_key(std::string& out, std::string_view key);

class SearchCsv {
public:
    explicit SearchCsv(std::string site) : site_(std::move(site)) {}
    // Appends the line of one searchAnalytics row (keys in the order date, query, country,
    // device, page) and returns its date key. Throws std::invalid_argument for a row without
    // five string keys or without its four numbers.
    std::string_view append_row(std::string& out, const nlohmann::json& row) const;

private:
    std::string site_;
};

}  // namespace gdx::google
