#pragma once
// `gdx cmslite-metadata CONFIG` (how it differs from the original: docs/differences.md):
// split the CMS Lite metadata CSV into the metadata, dictionary and lookup tables and replace
// them all, with the post-load SQL, in one transaction.
#include "jobs/run_options.hpp"

namespace gdx::jobs {

// Returns the exit code (0 success or nothing to do, 1 a bad object or failed load). Throws
// ConfigError for a bad config or a missing table (nothing touched).
int run_cmslite_metadata(const RunOptions& options);

}  // namespace gdx::jobs
