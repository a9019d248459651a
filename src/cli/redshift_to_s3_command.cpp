#include "cli/redshift_to_s3_command.hpp"

#include <iostream>
#include <memory>

#include "jobs/redshift_to_s3.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace gdx::cli {

std::function<int()> add_redshift_to_s3_command(CLI::App& app, CLI::App** command) {
    auto options = std::make_shared<jobs::RunOptions>();
    auto* cmd = app.add_subcommand(
        "redshift-to-s3",
        "run the config's DML (dml/<dml>), write its result to <archive>/batch/... (UNLOAD on "
        "Redshift, a streamed query on PostgreSQL/SQLite), then copy every unprocessed batch "
        "object to <storage>/<directory>/ and mark it good or bad");
    auto* positional = cmd->add_option("CONFIG", options->config_path,
                                       "the job's JSON config (the originals' config.d files "
                                       "work unchanged)");
    auto* dash_c = cmd->add_option("-c,--conf", options->config_path, "the config, as -c CONFIG");
    positional->excludes(dash_c);
    cmd->add_option("--store", options->store_uri,
                    "object store: file:DIR or s3:// [env GDX_STORE; default file:data]");
    cmd->add_option("--warehouse", options->warehouse_uri,
                    "warehouse: sqlite:FILE, postgresql://... or redshift://... [env "
                    "GDX_WAREHOUSE; default sqlite:gdx.db]");
    cmd->add_option("--log-dir", options->log_dir,
                    "directory of redshift-to-s3.log [default logs]");
    cmd->add_flag("--dry-run", options->dry_run,
                  "print the dates, the SQL and the objects to store; change nothing");
    cmd->add_option("--report-json", options->report_json,
                    "also write the end-of-run report as JSON to this file");
    *command = cmd;
    return [options, cmd]() -> int {
        if (options->config_path.empty()) {
            std::cerr << "gdx redshift-to-s3: give CONFIG or -c CONFIG\n";
            return static_cast<int>(ExitCode::Usage);
        }
        util::init_logging(options->log_dir, "redshift-to-s3", false);
        return jobs::run_redshift_to_s3(*options);
    };
}

}  // namespace gdx::cli
