#pragma once
// What every job run is given by the command line (docs/semantics.md).
#include <filesystem>
#include <string>

namespace gdx::jobs {

struct RunOptions {
    std::string config_path;
    std::string store_uri;      // file:DIR or s3://
    std::string warehouse_uri;  // sqlite:FILE, postgresql://…, redshift://…
    std::filesystem::path log_dir = "logs";
    bool dry_run = false;     // print the plan, change nothing
    bool keep_going = false;  // after a bad object, continue with the next one
    std::string report_json;  // also write the report as JSON to this file
};

}  // namespace gdx::jobs
