#pragma once
#include <string>

#include "jobs/run_options.hpp"

namespace gdx::jobs {

struct S3ToSftsOptions {
    RunOptions common;
    std::string identity;         // private key file (--identity); overrides sfts_identity
    bool fail_when_idle = false;  // exit 1 when nothing is selected, as the original did
};

// Delivers every selected object to the SFTP server and marks it; returns the exit code.
int run_s3_to_sfts(const S3ToSftsOptions& options);

}  // namespace gdx::jobs
