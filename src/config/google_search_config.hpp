#pragma once
// Typed, validated config of `gdx google-search` (docs/config-reference.md): where the
// objects go, the table they load into, the post-load DML and the Search Console properties.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace gdx::config {

struct GoogleSearchSite {
    std::string name;  // the property: "https://host/" or "sc-domain:host"
    std::optional<std::string> start_date_default;  // YYYY-MM-DD
};

struct GoogleSearchConfig {
    std::string source_path;
    std::string bucket, source, directory, dbtable, dml;
    std::string destination = "processed";  // processed copies (good/bad/batch) go under it
    std::vector<GoogleSearchSite> sites;
    std::vector<std::string> warnings;

    std::string prefix() const { return source + "/" + directory + "/"; }
};

// Throws ConfigError naming the file and the key.
GoogleSearchConfig parse_google_search_config(const nlohmann::ordered_json& json,
                                              const std::string& source_name);
GoogleSearchConfig load_google_search_config(const std::filesystem::path& path);

}  // namespace gdx::config
