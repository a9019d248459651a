#pragma once
// Typed, validated config of `gdx google-business` (docs/config-reference.md): where the
// objects go, the table they load into, the daily metrics and the account groups to load.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::config {

// One entry of `locations`: a Business Profile account (location group).
struct GoogleBusinessGroup {
    std::string client_shortname;  // the `client` column and the key level below directory
    std::string name;              // a label for messages
    std::string id;                // matched with the account's accountNumber
    std::optional<std::string> start_date, end_date;  // YYYY-MM-DD; nullopt for ""
};

struct GoogleBusinessConfig {
    std::string source_path;
    std::string bucket, source, directory, dbtable;
    std::string destination = "processed";  // processed copies (good/bad/batch) go under it
    std::vector<std::string> metrics;       // DailyMetric names, one column each, in order
    std::vector<GoogleBusinessGroup> groups;
    std::vector<std::string> warnings;

    std::string prefix() const { return source + "/" + directory + "/"; }
};

// Throws ConfigError naming the file and the key.
GoogleBusinessConfig parse_google_business_config(const nlohmann::ordered_json& json,
                                                  const std::string& source_name);
GoogleBusinessConfig load_google_business_config(const std::filesystem::path& path);

}  // namespace gdx::config
