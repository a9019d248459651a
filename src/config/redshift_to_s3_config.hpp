#pragma once
// Typed, validated config of `gdx redshift-to-s3` (docs/config-reference.md): where the
// export goes, which DML runs, how its result is formatted, and which dates fill the DML.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::config {

// How a start/end date is given: a literal YYYYMMDD, or looked up when the job runs.
enum class DateSource { Literal, Min, Max, Unsent };

struct DateSpec {
    DateSource source = DateSource::Literal;
    std::string literal;  // YYYYMMDD, when source == Literal
};

// The placeholders a DML may contain (`sql_parse_key`).
enum class ParseKey { None, DateRange, DateList };

struct RedshiftToS3Config {
    std::string source_path;

    std::string bucket;
    std::string storage;        // first segment of the client copy's key
    std::string archive;        // first segment of the batch/good/bad keys
    std::string directory;      // may contain '/'
    std::string object_prefix;  // start of every object name; selects batch objects
    std::string dml;            // file name, read as dml/<dml>
    bool header = false;
    bool escape = false;
    bool addquotes = true;
    std::optional<std::string> delimiter;  // nullopt: UNLOAD's default '|'
    std::string extension;                 // appended to the client copy's key
    std::optional<std::string> iam_role;   // UNLOAD authorises with this role when set

    ParseKey parse_key = ParseKey::None;
    std::string parse_key_name;  // as configured ("pmrp_date_range", "pmrp_qdata_dates")
    // Both present, or neither (a config with only one of them is rejected).
    std::optional<DateSpec> start_date, end_date;
    std::vector<std::string> date_list;  // non-empty when present

    std::vector<std::string> warnings;

    // <archive>/batch/<storage>/<directory> and friends (no trailing slash).
    std::string batch_prefix() const { return archive + "/batch/" + storage + "/" + directory; }
    std::string good_prefix() const { return archive + "/good/" + storage + "/" + directory; }
    std::string bad_prefix() const { return archive + "/bad/" + storage + "/" + directory; }
    std::string storage_prefix() const { return storage + "/" + directory; }
    char field_delimiter() const { return delimiter ? (*delimiter)[0] : '|'; }
};

// Throws ConfigError "<file>: key "<key>" ..." for a missing, mistyped or inconsistent key.
RedshiftToS3Config load_redshift_to_s3_config(const std::filesystem::path& path);
RedshiftToS3Config parse_redshift_to_s3_config(const nlohmann::ordered_json& json,
                                               const std::string& source_name);

}  // namespace gdx::config
