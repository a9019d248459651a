#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/redshift_to_s3_command.hpp"
#include "cli/derived_table_command.hpp"
#include "cli/s3_to_sfts_command.hpp"
#include "cli/google_commands.hpp"
#include "cli/sql_command.hpp"
#include "jobs/cmslite_metadata.hpp"
#include "jobs/s3_to_redshift.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace gdx::cli {
namespace {

void add_backend_options(CLI::App& cmd, jobs::RunOptions& o) {
    cmd.add_option("--store", o.store_uri,
                   "object store: file:DIR (a directory; bucket B is DIR/B) or s3:// "
                   "[env GDX_STORE; default file:data]");
    cmd.add_option(
        "--warehouse", o.warehouse_uri,
        "warehouse: sqlite:FILE, postgresql://USER@HOST:PORT/DB or redshift://USER@HOST:5439/DB "
        "[env GDX_WAREHOUSE; default sqlite:gdx.db]");
    cmd.add_option("--log-dir", o.log_dir, "directory of the log file <job>.log [default logs]");
}

void add_job_options(CLI::App& cmd, jobs::RunOptions& o) {
    cmd.add_option("CONFIG", o.config_path,
                   "the job's JSON config (the originals' config.d files work unchanged)")
        ->required();
    add_backend_options(cmd, o);
    cmd.add_flag("--dry-run", o.dry_run,
                 "print the plan (objects to load, skip, repair) and change nothing");
    cmd.add_flag(
        "--keep-going", o.keep_going,
        "after a bad object, continue with the next one (default: stop, as the original did)");
    cmd.add_option("--report-json", o.report_json,
                   "also write the end-of-run report as JSON to this file");
}

template <typename F>
int guarded(F&& body) {
    try {
        return body();
    } catch (const ConfigError& e) {
        std::cerr << "gdx: config error: " << util::redact(e.what()) << "\n";
        return static_cast<int>(ExitCode::Usage);
    } catch (const std::exception& e) {
        std::cerr << "gdx: error: " << util::redact(e.what()) << "\n";
        return static_cast<int>(ExitCode::Failed);
    }
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{
        "gdx: GDX Analytics data pipelines in one binary.\n"
        "Runs each job from the JSON configs of the original Python services, on a directory + "
        "SQLite\n"
        "by default or on S3 + PostgreSQL/Redshift by URI.\n"
        "Exit codes: 0 success or nothing to do, 1 a bad object or a failed load, 2 usage or "
        "config error."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "gdx 0.1.0");

    jobs::RunOptions s3r;
    auto* s3_cmd = app.add_subcommand(
        "s3-to-redshift",
        "load the CSV objects a config selects into its table: one transaction per object, "
        "originals copied "
        "to <destination>/good or <destination>/bad (with a <key>.error.json sidecar)");
    add_job_options(*s3_cmd, s3r);

    jobs::RunOptions cms;
    auto* cms_cmd = app.add_subcommand(
        "cmslite-metadata",
        "split the CMS Lite metadata CSV into the metadata, dictionary and lookup tables and "
        "replace them all, with the post-load SQL, in one transaction");
    add_job_options(*cms_cmd, cms);

    CLI::App* r2s_cmd = nullptr;
    auto run_r2s = add_redshift_to_s3_command(app, &r2s_cmd);
    auto run_derived_table = add_derived_table_command(app);
    Subcommand s3_to_sfts = add_s3_to_sfts_command(app);

    SqlOptions sql;
    auto* sql_cmd = app.add_subcommand("sql",
                                       "run SQL on the warehouse; Redshift DDL (ENCODE, DISTKEY, "
                                       "SORTKEY, grants, ...) is accepted on "
                                       "every backend");
    auto* c_opt = sql_cmd->add_option("-c,--command", sql.command, "SQL text to run");
    auto* f_opt = sql_cmd->add_option("-f,--file", sql.file, "file of SQL statements to run");
    c_opt->excludes(f_opt);
    sql_cmd->add_option("--warehouse", sql.warehouse_uri,
                        "warehouse URI [env GDX_WAREHOUSE; default sqlite:gdx.db]");
    sql_cmd->add_flag("--json", sql.json,
                      "print one JSON object per result row (SQL NULL -> null)");
    std::filesystem::path sql_log_dir = "logs";
    sql_cmd->add_option("--log-dir", sql_log_dir,
                        "directory of the log file sql.log [default logs]");

    GoogleCommands google(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : static_cast<int>(ExitCode::Usage);
    }

    if (*s3_cmd) {
        return guarded([&] {
            util::init_logging(s3r.log_dir, "s3-to-redshift", false);
            return jobs::run_s3_to_redshift(s3r);
        });
    }
    if (*cms_cmd) {
        return guarded([&] {
            util::init_logging(cms.log_dir, "cmslite-metadata", false);
            return jobs::run_cmslite_metadata(cms);
        });
    }
    if (*r2s_cmd) return guarded(run_r2s);
    if (auto rc = run_derived_table()) return *rc;
    if (*s3_to_sfts.command) return s3_to_sfts.run();
    if (auto rc = google.run()) return *rc;
    if (*sql_cmd) {
        if (sql.command.empty() && sql.file.empty()) {
            std::cerr << "gdx sql: give -c SQL or -f FILE\n";
            return static_cast<int>(ExitCode::Usage);
        }
        return guarded([&] {
            util::init_logging(sql_log_dir, "sql", false);
            return run_sql(sql);
        });
    }
    return static_cast<int>(ExitCode::Usage);
}

}  // namespace gdx::cli
