#pragma once
#include "jobs/google_options.hpp"

namespace gdx::jobs {

// `gdx google-business`: Business Profile daily metrics per location -> one object per
// location -> the shared loader. Returns the exit code.
int run_google_business(const GoogleJobOptions& options);

}  // namespace gdx::jobs
