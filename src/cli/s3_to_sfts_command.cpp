#include "cli/s3_to_sfts_command.hpp"

#include <memory>

#include "cli/job_options.hpp"
#include "jobs/s3_to_sfts.hpp"

namespace gdx::cli {

Subcommand add_s3_to_sfts_command(CLI::App& app) {
    auto o = std::make_shared<jobs::S3ToSftsOptions>();
    auto* cmd = app.add_subcommand(
        "s3-to-sfts",
        "deliver each object a config selects to the secure file transfer service over SFTP, "
        "exactly once, and copy it to <archive>/good (credentials: sfts_user, sfts_pass)");
    add_job_options(*cmd, o->common);
    cmd->add_option("--identity", o->identity,
                    "private key file for the SFTP login (tried before sfts_pass)");
    cmd->add_flag("--fail-when-idle", o->fail_when_idle,
                  "exit 1 when there is nothing to send, as the original did (default: 0)");
    return {cmd, [o] {
                return run_job("s3-to-sfts", o->common,
                               [o](const jobs::RunOptions&) { return jobs::run_s3_to_sfts(*o); });
            }};
}

}  // namespace gdx::cli
