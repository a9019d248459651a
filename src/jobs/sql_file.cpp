#include "jobs/sql_file.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "util/error.hpp"

namespace gdx::jobs {

std::string read_sql_file(const std::vector<std::filesystem::path>& candidates,
                          const std::string& config_path, const std::string& sql_query,
                          const std::string& key) {
    std::vector<std::string> looked;
    for (const auto& p : candidates) {
        looked.push_back(p.string());
        if (!std::filesystem::is_regular_file(p)) continue;
        std::ifstream in(p);
        std::stringstream ss;
        ss << in.rdbuf();
        if (!in && !in.eof()) break;
        spdlog::info("{} file: {}", key, p.string());
        return ss.str();
    }
    throw ConfigError(fmt::format("{}: {} file '{}' cannot be read (looked at {})", config_path,
                                  key, sql_query, fmt::join(looked, ", ")));
}

}  // namespace gdx::jobs
