#include "cli/derived_table_command.hpp"

#include <iostream>
#include <memory>

#include "jobs/derived_table.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace gdx::cli {

std::function<std::optional<int>()> add_derived_table_command(CLI::App& app) {
    auto options = std::make_shared<jobs::RunOptions>();
    auto* cmd = app.add_subcommand(
        "derived-table",
        "rebuild a derived table: run dml/<dml> with {schema} and {dbtable} filled in, in one "
        "transaction (the google_mybusiness_servicebc_derived service)");
    cmd->add_option("CONFIG,-c,--config", options->config_path,
                    "the JSON config (keys schema, dbtable, dml)")
        ->required();
    cmd->add_option("--warehouse", options->warehouse_uri,
                    "warehouse: sqlite:FILE, postgresql://USER@HOST:PORT/DB or "
                    "redshift://USER@HOST:5439/DB [env GDX_WAREHOUSE; default sqlite:gdx.db]");
    cmd->add_option("--store", options->store_uri, "accepted for symmetry; not used");
    cmd->add_option("--log-dir", options->log_dir,
                    "directory of the log file derived-table.log [default logs]");
    cmd->add_flag("--dry-run", options->dry_run, "print the SQL and change nothing");
    cmd->add_option("--report-json", options->report_json,
                    "also write the end-of-run report as JSON to this file");
    return [cmd, options]() -> std::optional<int> {
        if (!*cmd) return std::nullopt;
        try {
            util::init_logging(options->log_dir, "derived-table", false);
            return jobs::run_derived_table(*options);
        } catch (const ConfigError& e) {
            std::cerr << "gdx: config error: " << util::redact(e.what()) << "\n";
            return static_cast<int>(ExitCode::Usage);
        } catch (const std::exception& e) {
            std::cerr << "gdx: error: " << util::redact(e.what()) << "\n";
            return static_cast<int>(ExitCode::Failed);
        }
    };
}

}  // namespace gdx::cli
