#pragma once
#include "jobs/run_options.hpp"

namespace gdx::jobs {

// `gdx redshift-to-s3 CONFIG`: export the config's DML result to the batch prefix (UNLOAD on
// Redshift, a streamed query elsewhere), then copy every unprocessed batch object to the
// client prefix and mark it good or bad. Returns the exit code.
int run_redshift_to_s3(const RunOptions& options);

}  // namespace gdx::jobs
