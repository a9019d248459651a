#pragma once
// Strict JSON loading for config files, with errors a human can act on.
#include <filesystem>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace gdx::config {

// How deeply arrays and objects may nest in a config (the originals' go 3 deep).
inline constexpr int kMaxJsonDepth = 64;

// Reads and parses a JSON file (strict RFC 8259: no comments, no trailing commas, no NaN).
// Keys keep their file order. Throws gdx::ConfigError:
//   - "<file>: cannot open config file: <reason>" when missing/unreadable;
//   - "<file>:<line>:<column>: <what is wrong>, found <char>" on a syntax error, where
//     line/column are 1-based and the column counts characters (UTF-8 code points), and
//     <char> is 'x' for printable ASCII or U+XXXX (with a name when known, e.g.
//     "U+00A0 (no-break space)");
//   - "<file>: arrays and objects are nested more than 64 levels deep..." (kMaxJsonDepth).
nlohmann::ordered_json load_json_file(const std::filesystem::path& path);

// Same, for text already in memory; `source_name` is used in messages.
nlohmann::ordered_json parse_json_text(std::string_view text, const std::string& source_name);

}  // namespace gdx::config
