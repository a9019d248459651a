#pragma once
// Typed, validated config of `gdx s3-to-redshift` (docs/config-reference.md).
// Also reads the derived-assets configs (derived_assets), which share the keys.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/column_rules.hpp"
#include "config/object_location.hpp"

namespace gdx::config {

struct S3ToRedshiftConfig : ObjectLocation {
    std::string source_path;  // config file as given, for messages and the report

    // Required keys (and those of ObjectLocation).
    std::string dbtable;
    int64_t column_count = 0;
    std::vector<std::string> columns;  // exactly column_count names, unique
    char delim = ',';
    bool truncate = false;

    // Optional keys of the original.
    std::string dbschema = "microservice";  // read, never used (as in the original)
    std::vector<std::string> dtype_dic_strings;
    std::vector<std::string> dtype_dic_bools;
    std::vector<std::string> dtype_dic_ints;
    std::vector<std::string> dtype_dic_floats;
    bool no_header = false;
    int64_t file_limit = 0;  // max objects per run; 0 = no cap (absent, null, <= 0, non-int)
    bool strip_quotes = false;
    std::string encoding = "utf-8";  // Python codec name, resolved by the decoder
    std::vector<std::pair<std::string, int64_t>> column_string_limit;  // config order
    std::vector<std::string> drop_columns;
    // Constant columns in config order; nullopt = missing value (JSON null). Numbers and
    // booleans are rendered the way pandas writes them: 5 -> "5", 1.5 -> "1.5", true -> "True".
    std::vector<std::pair<std::string, std::optional<std::string>>> add_columns;
    std::vector<ReplaceRule> replace;
    std::vector<DateFormatRule> dateformat;
    bool ldb_sku = false;
    std::optional<std::string> sql_query;  // path relative to the CWD; required if ldb_sku

    // gdx additions.
    bool empty_files_ok = false;          // empty objects are good (counted as empty), not bad
    bool keep_default_na = true;          // pandas keep_default_na
    std::vector<std::string> na_values;   // extra NA tokens (pandas na_values)
    std::optional<std::string> iam_role;  // Redshift COPY IAM_ROLE instead of keys

    // Non-fatal findings (unknown keys, dtype names not in `columns`, ...), each a complete
    // sentence naming the file; the job logs them as warnings.
    std::vector<std::string> warnings;

    // The whole document, for job-specific keys (e.g. derived assets' access_log_parse).
    nlohmann::ordered_json raw;
};

enum class S3ConfigFlavor {
    S3ToRedshift,  // `truncate` required
    DerivedAssets  // `truncate` optional (default false); asset_* keys are known
};

// Validates and converts; throws gdx::ConfigError naming `source_name` and the key.
S3ToRedshiftConfig parse_s3_to_redshift_config(
    const nlohmann::ordered_json& json, const std::string& source_name,
    S3ConfigFlavor flavor = S3ConfigFlavor::S3ToRedshift);

// load_json_file + parse_s3_to_redshift_config.
S3ToRedshiftConfig load_s3_to_redshift_config(const std::filesystem::path& path,
                                              S3ConfigFlavor flavor = S3ConfigFlavor::S3ToRedshift);

// How pandas writes a JSON scalar constant to CSV (null -> nullopt). Throws ConfigError
// (via the caller) for arrays/objects: returns nullopt and sets `ok` false.
std::optional<std::string> render_constant(const nlohmann::ordered_json& value, bool& ok);

}  // namespace gdx::config
