#pragma once
// The export's names from the run's clock (util/run_clock.hpp).
#include <string>

#include "util/run_clock.hpp"

namespace gdx::exports {

using util::clock_at_local;
using util::run_clock;
using util::RunClock;

// YYYYMMDDTHHMMSS of the local wall time (the object names' timestamp).
std::string key_timestamp(const RunClock& clock);
// YYYYMMDD of the local date `days` days before the clock's (the "unsent" default).
std::string local_date_minus(const RunClock& clock, int days);

}  // namespace gdx::exports
