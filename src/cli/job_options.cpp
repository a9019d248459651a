#include "cli/job_options.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/log.hpp"
#include "util/progress.hpp"
#include "util/redact.hpp"
#include "util/run_clock.hpp"
#include "util/warnings.hpp"

namespace gdx::cli {

void add_job_options(CLI::App& cmd, jobs::RunOptions& o) {
    auto* positional =
        cmd.add_option("CONFIG", o.config_path,
                       "the job's JSON config (the originals' config.d files work unchanged)");
    auto* dash_c = cmd.add_option("-c,--conf", o.config_path,
                                  "the config, as the originals took it (same as CONFIG)");
    positional->excludes(dash_c);
    cmd.add_option("--store", o.store_uri,
                   "object store: file:DIR (a directory; bucket B is DIR/B) or s3:// "
                   "[env GDX_STORE; default file:data]");
    cmd.add_option(
        "--warehouse", o.warehouse_uri,
        "warehouse: sqlite:FILE, postgresql://USER@HOST:PORT/DB or redshift://USER@HOST:5439/DB "
        "[env GDX_WAREHOUSE; default sqlite:gdx.db]");
    cmd.add_option("--log-dir", o.log_dir,
                   "directory of the log file <job>.log, created when the run starts work "
                   "[default logs]");
    cmd.add_flag("--dry-run", o.dry_run,
                 "print the plan (objects to load, skip, repair) and change nothing");
    cmd.add_flag(
        "--keep-going", o.keep_going,
        "after a bad object, continue with the next one (default: stop, as the original did)");
    cmd.add_option("--report-json", o.report_json,
                   "also write the end-of-run report as JSON to this file (- for stdout, which "
                   "then carries only the JSON); checked before any work");
    cmd.add_flag("-q,--quiet", o.quiet,
                 "print no report and no progress; warnings and errors still go to stderr");
    cmd.add_flag("--no-progress", o.no_progress,
                 "no progress line on the terminal (also off when TERM=dumb, CI is set or "
                 "stderr is not a terminal)");
    cmd.add_flag("--strict", o.strict,
                 "treat warnings (a string flag read as true, an unknown config key, dropped "
                 "surplus fields, ...) as errors: exit 2");
    cmd.add_flag("-d,--debug", o.debug, "also log DEBUG records (the originals parsed -d)");
    // Either form of the config is required; CLI11 cannot say "one of two" itself.
    cmd.callback([&cmd, &o] {
        if (o.config_path.empty())
            throw CLI::RequiredError(cmd.get_name() + ": CONFIG (or -c CONFIG)");
    });
}

int guarded(const std::function<int()>& body) {
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

void check_report_path(const std::string& path) {
    namespace fs = std::filesystem;
    if (path.empty() || path == "-") return;
    const fs::path p(path);
    std::error_code ec;
    const auto status = fs::status(p, ec);
    if (fs::is_directory(status))
        throw ConfigError(fmt::format("--report-json {}: is a directory", path));
    if (fs::exists(status)) {
        if (::access(p.c_str(), W_OK) != 0)
            throw ConfigError(fmt::format("--report-json {}: the file is not writable", path));
        return;
    }
    const fs::path dir = p.parent_path().empty() ? fs::path(".") : p.parent_path();
    if (!fs::is_directory(dir, ec))
        throw ConfigError(
            fmt::format("--report-json {}: directory {} does not exist", path, dir.string()));
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
        throw ConfigError(
            fmt::format("--report-json {}: directory {} is not writable", path, dir.string()));
}

int run_job(const std::string& job_name, const jobs::RunOptions& options,
            const std::function<int(const jobs::RunOptions&)>& job) {
    util::set_warning_policy({.strict = options.strict});
    if (options.quiet || options.no_progress) util::Progress::disable_all();
    const int code = guarded([&] {
        check_report_path(options.report_json);
        util::pinned_clock();  // a malformed GDX_NOW is a config error before any work
        util::init_deferred_logging(options.log_dir, job_name, util::LogStart::WhenWorkStarts);
        if (options.debug) util::set_log_level(spdlog::level::debug);
        return job(options);
    });
    // A run that did anything keeps its log, even when its job never said that work started
    // (util::start_log_file, which LoaderRun::begin_objects calls); a config error or a dry run
    // leaves none.
    if (code != static_cast<int>(ExitCode::Usage) && !options.dry_run) {
        try {
            util::start_log_file();
        } catch (const std::exception& e) {
            std::cerr << "gdx: " << e.what() << "\n";
        }
    }
    return code;
}

}  // namespace gdx::cli
