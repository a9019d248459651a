#pragma once
// The client's retry policy with every wait scaled to zero: retries happen, the tests do not sleep.
#include "google/backoff.hpp"

namespace gdx::google::test {

inline BackoffPolicy no_wait_backoff() {
    BackoffPolicy p;
    p.scale = 0;
    return p;
}

}  // namespace gdx::google::test
