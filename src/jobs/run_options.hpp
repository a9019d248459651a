#pragma once
// What every job run is given by the command line (docs/semantics.md; the options are declared
// once, in cli/job_options.hpp).
#include <filesystem>
#include <string>

namespace gdx::jobs {

struct RunOptions {
    std::string config_path;
    std::string store_uri;      // file:DIR or s3://; empty: GDX_STORE, then the default
    std::string warehouse_uri;  // sqlite:FILE, postgresql://…, redshift://…; empty: likewise
    std::filesystem::path log_dir = "logs";
    bool dry_run = false;     // print the plan, change nothing
    bool keep_going = false;  // after a bad object, continue with the next one
    std::string report_json;  // also write the report as JSON to this file ("-": stdout)
    bool quiet = false;       // no report text and no progress on the terminal
    bool no_progress = false;
    bool strict = false;  // a warning stops the run with exit 2
    bool debug = false;   // -d: DEBUG records in the log too

    bool report_json_to_stdout() const { return report_json == "-"; }
};

}  // namespace gdx::jobs
