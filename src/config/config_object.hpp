#pragma once
// Typed, validating access to the keys of one JSON config object. Every error is a
// gdx::ConfigError naming the file and the key; keys never read are reported as unknown.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::config {

// Python truthiness: false, 0, 0.0, null, "", [], {} are false; everything else is true.
bool python_truthy(const nlohmann::ordered_json& value);

// True for text YYYY-MM-DD naming a day of the calendar (2023-02-29 and 2024-04-31 are not).
bool is_iso_date(const std::string& text);

// JSON type name for messages ("string", "number", "array", ...).
std::string json_type_name(const nlohmann::ordered_json& value);

class ConfigObject {
public:
    // Throws ConfigError if `root` is not a JSON object.
    ConfigObject(const nlohmann::ordered_json& root, std::string source_name);

    const std::string& source_name() const { return source_; }

    // The value of `key`, or nullptr when absent. Marks the key as known.
    const nlohmann::ordered_json* find(const std::string& key);

    [[noreturn]] void fail(const std::string& key, const std::string& message) const;

    std::string required_string(const std::string& key, bool allow_empty = false);
    // Absent or null -> nullopt; other non-strings are an error.
    std::optional<std::string> optional_string(const std::string& key);
    int64_t required_int(const std::string& key);
    // Python truthiness; absent -> fallback. A string value adds a warning because
    // "false" is true in Python.
    bool flag(const std::string& key, bool fallback);
    // Required key, evaluated with Python truthiness.
    bool required_flag(const std::string& key);
    // Absent or null -> empty; otherwise an array of strings.
    std::vector<std::string> string_list(const std::string& key);
    std::vector<std::string> required_string_list(const std::string& key);

    void warn(std::string message) { warnings_.push_back(std::move(message)); }
    // Marks keys that are read elsewhere (so they are not reported as unknown).
    void mark_known(const std::string& key) { known_.insert(key); }

    // Warnings collected so far plus one per key never looked at.
    std::vector<std::string> finish_warnings() const;

private:
    const nlohmann::ordered_json& root_;
    std::string source_;
    std::set<std::string> known_;
    std::vector<std::string> warnings_;
};

// Throws ConfigError "<source>: key "<key>" ..." if `value` is not exactly one ASCII character
// usable as a field separator.
char single_char_key(ConfigObject& cfg, const std::string& key);

// A list of rule objects under `key` (e.g. `replace`, `dateformat`); nullptr when absent or null.
const nlohmann::ordered_json* rule_list(ConfigObject& cfg, const std::string& key);
// The string member `member` of entry `index` of the rule list `key`; missing or non-string fails.
std::string rule_string(ConfigObject& cfg, const std::string& key, size_t index,
                        const nlohmann::ordered_json& rule, const std::string& member);

// Warns about each member of rule `index` of list `key` that is not in `known`.
void warn_unknown_members(ConfigObject& cfg, const std::string& key, size_t index,
                          const nlohmann::ordered_json& rule,
                          std::initializer_list<const char*> known);

// `column_count` (at least 1) and `columns` (exactly that many unique, non-empty names), as
// every loader config has them. Returns the names.
std::vector<std::string> column_list(ConfigObject& cfg);

}  // namespace gdx::config
