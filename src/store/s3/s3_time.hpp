#pragma once
// Timestamps as S3 sends them: ISO 8601 in XML/JSON bodies, RFC 1123 in HTTP headers.
#include <chrono>
#include <optional>
#include <string_view>

namespace gdx::store::s3 {

// "2024-01-05T07:50:33.123Z" (fraction optional). nullopt when malformed or outside
// 1678..2261 (what system_clock can hold).
std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// "Fri, 05 Jan 2024 07:50:33 GMT". nullopt when malformed or out of that range.
std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace gdx::store::s3
