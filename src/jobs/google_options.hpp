#pragma once
// What a Google job run is given by the command line: the common options plus the two files
// of the OAuth set-up.
#include <string>

#include "jobs/run_options.hpp"

namespace gdx::jobs {

struct GoogleJobOptions {
    RunOptions run;
    std::string client_secrets;  // --client-secrets / -o
    std::string credentials;     // --credentials / -a
};

}  // namespace gdx::jobs
