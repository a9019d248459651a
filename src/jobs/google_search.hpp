#pragma once
#include "jobs/google_options.hpp"

namespace gdx::jobs {

// `gdx google-search`: Search Console search analytics per site and day -> one object per
// window -> the shared loader -> the post-load DML. Returns the exit code.
int run_google_search(const GoogleJobOptions& options);

}  // namespace gdx::jobs
