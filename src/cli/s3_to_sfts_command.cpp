#include "cli/s3_to_sfts_command.hpp"

#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "jobs/s3_to_sfts.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace gdx::cli {

Subcommand add_s3_to_sfts_command(CLI::App& app) {
    auto o = std::make_shared<jobs::S3ToSftsOptions>();
    auto* cmd = app.add_subcommand(
        "s3-to-sfts",
        "deliver each object a config selects to the secure file transfer service over SFTP, "
        "exactly once, and copy it to <archive>/good (credentials: sfts_user, sfts_pass)");
    auto* positional = cmd->add_option("CONFIG", o->common.config_path,
                                       "the job's JSON config (the originals' config.d files)");
    auto* dash_c = cmd->add_option("-c,--conf", o->common.config_path,
                                   "the job's JSON config (the original's option)");
    positional->excludes(dash_c);
    cmd->add_option("--store", o->common.store_uri,
                    "object store: file:DIR or s3:// [env GDX_STORE; default file:data]");
    cmd->add_option("--warehouse", o->common.warehouse_uri,
                    "accepted like every job's, not used: this job loads nothing");
    cmd->add_option("--log-dir", o->common.log_dir,
                    "directory of the log file s3-to-sfts.log [default logs]");
    cmd->add_flag("--dry-run", o->common.dry_run, "print what would be sent and change nothing");
    cmd->add_option("--report-json", o->common.report_json,
                    "also write the end-of-run report as JSON to this file");
    cmd->add_option("--identity", o->identity,
                    "private key file for the SFTP login (tried before sfts_pass)");
    cmd->add_flag("--fail-when-idle", o->fail_when_idle,
                  "exit 1 when there is nothing to send, as the original did (default: 0)");
    return {cmd, [o] {
                if (o->common.config_path.empty()) {
                    std::cerr << "gdx s3-to-sfts: give the config file (CONFIG or -c CONFIG)\n";
                    return static_cast<int>(ExitCode::Usage);
                }
                try {
                    util::init_logging(o->common.log_dir, "s3-to-sfts", false);
                    return jobs::run_s3_to_sfts(*o);
                } catch (const ConfigError& e) {
                    std::cerr << "gdx: config error: " << util::redact(e.what()) << "\n";
                    return static_cast<int>(ExitCode::Usage);
                } catch (const std::exception& e) {
                    spdlog::error("{}", e.what());
                    std::cerr << "gdx: error: " << util::redact(e.what()) << "\n";
                    return static_cast<int>(ExitCode::Failed);
                }
            }};
}

}  // namespace gdx::cli
