#pragma once
#include "jobs/run_options.hpp"

namespace gdx::jobs {

// `gdx s3-to-redshift CONFIG`: load the CSV objects a config selects, one transaction per
// object (docs/semantics.md). Returns the exit code; throws ConfigError for exit 2.
int run_s3_to_redshift(const RunOptions& options);

}  // namespace gdx::jobs
