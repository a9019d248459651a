#pragma once
// The options every job subcommand takes, declared once. A job's subcommand gets all of them,
// and the same handling (warning policy, progress, log file, --report-json check, errors to
// exit codes), from these two calls; app.cpp's job table makes both for each job.
#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "jobs/run_options.hpp"

namespace gdx::cli {

// CONFIG (positional, or -c/--conf CONFIG as the originals took it), --store, --warehouse,
// --log-dir,
// --dry-run, --keep-going, --report-json, -q/--quiet, --no-progress, --strict, -d/--debug.
void add_job_options(CLI::App& command, jobs::RunOptions& options);

// Runs `job` as `gdx <job_name>`: applies --strict/--quiet/--no-progress to the process,
// checks that --report-json can be written before any work, sets up the log and maps errors to
// exit codes: ConfigError -> 2, anything else -> 1. The log file <log-dir>/<job_name>.log is
// created when the job calls util::start_log_file() (LoaderRun::begin_objects does), or at the
// end of a run that was neither a dry run nor a config error; records wait in memory until
// then.
int run_job(const std::string& job_name, const jobs::RunOptions& options,
            const std::function<int(const jobs::RunOptions&)>& job);

// The same mapping of errors to exit codes for any other subcommand.
int guarded(const std::function<int()>& body);

// Throws ConfigError (exit 2) when the report cannot be written to `path` ("-" is stdout),
// without creating or changing anything.
void check_report_path(const std::string& path);

}  // namespace gdx::cli
