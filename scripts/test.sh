#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need (install-deps.sh --test),
# builds gdx twice (Release, and AddressSanitizer + UndefinedBehaviorSanitizer), starts a
# throw-away PostgreSQL on loopback and runs every test in both builds. The S3 test servers
# (moto_server, s3rver), the fake metadata server and the fault-injecting proxy are started by
# the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test

work=$(mktemp -d /tmp/gdx-test.XXXXXX)
chmod 755 "$work"
cleanup() {
    scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

GDX_TEST_PG_URL=$(scripts/pg-cluster.sh start "$work/pg")
export GDX_TEST_PG_URL
export GDX_RETRY_BASE_MS=${GDX_RETRY_BASE_MS:-5}

jobs=$(nproc)
status=0
run_suite() {
    local dir=$1
    shift
    echo "=== build $dir ($*)"
    cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
    cmake --build "$dir" -j"$jobs"
    echo "=== test $dir"
    ctest --test-dir "$dir" -j"$jobs" --output-on-failure --timeout 600 || status=1
}

run_suite build -DCMAKE_BUILD_TYPE=Release -DGDX_TESTS=ON -DGDX_BENCH=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_suite build-asan -DCMAKE_BUILD_TYPE=Debug -DGDX_SANITIZE=ON -DGDX_TESTS=ON -DGDX_BENCH=OFF
exit $status
