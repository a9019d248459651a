#pragma once
// The post-load SQL file a loader config names (`sql_query`).
#include <filesystem>
#include <string>
#include <vector>

namespace gdx::jobs {

// Reads the first of `candidates` that is a regular file. Throws ConfigError naming the config,
// the key (`sql_query`, `dml`), its value and every place looked at.
std::string read_sql_file(const std::vector<std::filesystem::path>& candidates,
                          const std::string& config_path, const std::string& sql_query,
                          const std::string& key = "sql_query");

}  // namespace gdx::jobs
