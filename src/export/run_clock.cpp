#include "export/run_clock.hpp"

#include <date/date.h>

namespace gdx::exports {

std::string key_timestamp(const RunClock& clock) {
    return date::format("%Y%m%dT%H%M%S", clock.local);
}

std::string local_date_minus(const RunClock& clock, int days) {
    const auto day = std::chrono::floor<date::days>(clock.local) - date::days(days);
    return date::format("%Y%m%d", day);
}

}  // namespace gdx::exports
