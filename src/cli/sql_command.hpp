#pragma once
#include <string>

namespace gdx::cli {

struct SqlOptions {
    std::string warehouse_uri;
    std::string command;  // -c
    std::string file;     // -f
    bool json = false;    // one JSON object per row
};

// `gdx sql`: runs SQL (Redshift dialect accepted) on the warehouse and prints result rows.
int run_sql(const SqlOptions& options);

}  // namespace gdx::cli
