#include "cli/app.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string_view>
#include <vector>

#include "cli/google_commands.hpp"
#include "cli/job_options.hpp"
#include "cli/s3_to_sfts_command.hpp"
#include "cli/sql_command.hpp"
#include "jobs/cmslite_metadata.hpp"
#include "jobs/derived_table.hpp"
#include "jobs/redshift_to_s3.hpp"
#include "jobs/s3_to_redshift.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/warnings.hpp"

#ifndef GDX_VERSION
#define GDX_VERSION "unknown"
#endif

namespace gdx::cli {
namespace {

// Every job subcommand: one row each. The row gives the job the common options
// (add_job_options) and the common handling (run_job); the job file does the rest.
struct JobCommand {
    const char* name;
    const char* description;
    int (*run)(const jobs::RunOptions&);
};

const JobCommand kJobs[] = {
    {"s3-to-redshift",
     "load the CSV objects a config selects into its table: one transaction per object, "
     "originals copied to <destination>/good or <destination>/bad (with a <key>.error.json "
     "sidecar)",
     jobs::run_s3_to_redshift},
    {"cmslite-metadata",
     "split the CMS Lite metadata CSV into the metadata, dictionary and lookup tables and "
     "replace them all, with the post-load SQL, in one transaction",
     jobs::run_cmslite_metadata},
    {"redshift-to-s3",
     "run the config's DML (dml/<dml>), write its result to <archive>/batch/... (UNLOAD on "
     "Redshift, a streamed query on PostgreSQL/SQLite), then copy every unprocessed batch "
     "object to <storage>/<directory>/ and mark it good or bad",
     jobs::run_redshift_to_s3},
    {"derived-table",
     "rebuild a derived table: run dml/<dml> with {schema} and {dbtable} filled in, in one "
     "transaction (the google_mybusiness_servicebc_derived service)",
     jobs::run_derived_table},
};

// Levenshtein distance, for "did you mean".
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// The first argument when it is meant as a subcommand but names none, or "".
std::string unknown_command(const CLI::App& app, int argc, char** argv) {
    if (argc < 2) return {};
    const std::string_view first = argv[1];
    if (first.empty() || first[0] == '-') return {};
    for (const auto* sub : app.get_subcommands({}))
        if (sub->get_name() == first) return {};
    return std::string(first);
}

std::string suggestion_for(const CLI::App& app, const std::string& typed) {
    std::string best;
    size_t best_distance = 4;  // farther than 3 edits is no suggestion
    for (const auto* sub : app.get_subcommands({})) {
        const size_t d = edit_distance(typed, sub->get_name());
        if (d < best_distance) {
            best_distance = d;
            best = sub->get_name();
        }
    }
    return best;
}

void add_sql_command(CLI::App& app, SqlOptions& sql) {
    auto* cmd = app.add_subcommand("sql",
                                   "run SQL on the warehouse; Redshift DDL (ENCODE, DISTKEY, "
                                   "SORTKEY, grants, ...) is accepted on every backend");
    auto* c_opt = cmd->add_option("-c,--command", sql.command, "SQL text to run");
    auto* f_opt = cmd->add_option("-f,--file", sql.file, "file of SQL statements to run");
    c_opt->excludes(f_opt);
    cmd->add_option("--warehouse", sql.warehouse_uri,
                    "warehouse URI [env GDX_WAREHOUSE; default sqlite:gdx.db]");
    cmd->add_flag("--json", sql.json, "print one JSON object per result row (SQL NULL -> null)");
    cmd->add_option("--log-dir", sql.log_dir,
                    "directory of the log file sql.log, created when there is something to "
                    "log [default logs]");
    cmd->add_flag("--strict", sql.strict,
                  "treat warnings (e.g. a GRANT skipped for a missing role) as errors: exit 2");
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{
        "gdx: GDX Analytics data pipelines in one binary.\n"
        "Runs each job from the JSON configs of the original Python services, on a directory + "
        "SQLite\n"
        "by default or on S3 + PostgreSQL/Redshift by URI.\n"
        "Exit codes: 0 success or nothing to do, 1 a bad object or a failed load, 2 usage or "
        "config error.",
        "gdx"};
    app.set_version_flag("-V,--version", "gdx " GDX_VERSION);

    std::vector<jobs::RunOptions> job_options(std::size(kJobs));
    std::vector<CLI::App*> job_commands;
    for (size_t i = 0; i < std::size(kJobs); ++i) {
        auto* cmd = app.add_subcommand(kJobs[i].name, kJobs[i].description);
        add_job_options(*cmd, job_options[i]);
        job_commands.push_back(cmd);
    }
    // Jobs with options of their own register themselves (with add_job_options and run_job).
    Subcommand s3_to_sfts = add_s3_to_sfts_command(app);
    SqlOptions sql;
    add_sql_command(app, sql);
    auto* sql_cmd = app.get_subcommand("sql");

    GoogleCommands google(app);

    if (argc < 2) {
        std::cerr << app.help();
        return static_cast<int>(ExitCode::Usage);
    }
    if (const std::string typed = unknown_command(app, argc, argv); !typed.empty()) {
        std::cerr << "gdx: unknown command '" << typed << "'";
        if (const std::string near = suggestion_for(app, typed); !near.empty())
            std::cerr << "; did you mean '" << near << "'?";
        std::cerr << "\nRun 'gdx --help' for the list of commands.\n";
        return static_cast<int>(ExitCode::Usage);
    }
    app.require_subcommand(1);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : static_cast<int>(ExitCode::Usage);
    }

    for (size_t i = 0; i < job_commands.size(); ++i)
        if (*job_commands[i]) return run_job(kJobs[i].name, job_options[i], kJobs[i].run);
    if (*s3_to_sfts.command) return s3_to_sfts.run();
    if (auto rc = google.run()) return *rc;
    if (*sql_cmd) {
        if (sql.command.empty() && sql.file.empty()) {
            std::cerr << "gdx sql: give -c SQL or -f FILE\n";
            return static_cast<int>(ExitCode::Usage);
        }
        util::set_warning_policy({.strict = sql.strict});
        return guarded([&] {
            util::init_deferred_logging(sql.log_dir, "sql", util::LogStart::OnFirstRecord);
            return run_sql(sql);
        });
    }
    return static_cast<int>(ExitCode::Usage);
}

}  // namespace gdx::cli
