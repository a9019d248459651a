#pragma once
#include <filesystem>
#include <string>

namespace gdx::cli {

struct SqlOptions {
    std::string warehouse_uri;
    std::string command;  // -c
    std::string file;     // -f
    bool json = false;    // one JSON object per row
    std::filesystem::path log_dir = "logs";
    bool strict = false;  // a warning is an error (exit 2)
};

// `gdx sql`: runs SQL (Redshift dialect accepted) on the warehouse and prints result rows.
int run_sql(const SqlOptions& options);

}  // namespace gdx::cli
