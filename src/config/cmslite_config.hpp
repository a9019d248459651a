#pragma once
// Typed, validated config of `gdx cmslite-metadata` (docs/config-reference.md).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/column_rules.hpp"
#include "config/object_location.hpp"

namespace gdx::config {

struct RenameRule {
    std::string old_name;
    std::string new_name;
};

struct CmsliteConfig : ObjectLocation {
    std::string source_path;

    std::string dbschema = "microservice";  // search_path, {dbschema} in the post-load SQL
    std::string dbtable;                    // read, unused (the main table is `metadata`)
    int64_t column_count = 0;
    std::vector<std::string> columns;           // positional names, exactly column_count
    std::vector<std::string> columns_metadata;  // columns of metadata.csv, in order
    std::vector<std::string> columns_lookup;    // nested columns
    // Parallel to columns_lookup (extra entries are ignored with a warning).
    std::vector<std::string> dbtables_dictionaries;
    std::vector<std::string> dbtables_metadata;
    char nested_delim = '|';  // exactly one character
    char delim = ',';
    std::string sql_query;  // post-load SQL file name, opened as ddl/<sql_query>
    std::vector<std::string> dtype_dic_strings;  // informational: every cell is text anyway
    bool truncate = false;                       // only selects the newest object
    std::vector<RenameRule> rename;
    std::vector<ReplaceRule> replace;
    std::vector<DateFormatRule> dateformat;

    std::vector<std::string> warnings;
    nlohmann::ordered_json raw;
};

CmsliteConfig parse_cmslite_config(const nlohmann::ordered_json& json,
                                   const std::string& source_name);
CmsliteConfig load_cmslite_config(const std::filesystem::path& path);

// Column names after `columns` and `rename` (the names dateformat/replace/lookup refer to).
std::vector<std::string> cmslite_column_names(const CmsliteConfig& config);

}  // namespace gdx::config
