#!/usr/bin/env bash
# The whole test suite, as CI runs it: installs what the tests need (install-deps.sh --test),
# builds gdx twice (Release, and AddressSanitizer + UndefinedBehaviorSanitizer), starts a
# throw-away PostgreSQL on loopback and runs every test in both builds. The S3 test servers
# (moto_server, s3rver), the fake metadata server and the fault-injecting proxy are started by
# the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test

# One moto server per suite run, shared by every test process that needs S3 (each works in
# buckets of its own): starting moto costs a second or more of CPU, ~200 times per suite
# otherwise. A fresh one per suite keeps its memory (every object stays in RAM) bounded.
moto_pid=
start_moto() {
    local port
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    moto_server -H 127.0.0.1 -p "$port" >"$work/moto-$1.log" 2>&1 &
    moto_pid=$!
    for _ in $(seq 300); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            export GDX_TEST_MOTO_URL="http://127.0.0.1:$port"
            return
        fi
        sleep 0.1
    done
    echo "moto_server did not start; see $work/moto-$1.log" >&2
    exit 1
}
stop_moto() {
    if [[ -n $moto_pid ]]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
    moto_pid=
    unset GDX_TEST_MOTO_URL
}

work=$(mktemp -d /tmp/gdx-test.XXXXXX)
chmod 755 "$work"
asan_build=
cleanup() {
    # The background build's ninja, then cmake --build itself.
    if [[ -n $asan_build ]]; then pkill -P "$asan_build" 2>/dev/null || true; kill "$asan_build" 2>/dev/null || true; fi
    stop_moto
    scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

GDX_TEST_PG_URL=$(scripts/pg-cluster.sh start "$work/pg")
export GDX_TEST_PG_URL
export GDX_RETRY_BASE_MS=${GDX_RETRY_BASE_MS:-5}

jobs=$(nproc)
status=0
SECONDS=0
configure() {
    local dir=$1
    shift
    cmake -S . -B "$dir" -G Ninja -DCMAKE_UNITY_BUILD=ON -DGDX_TESTS=ON -DGDX_BENCH=OFF "$@" >/dev/null
}
run_tests() {
    local dir=$1 parallel=$2
    echo "=== test $dir at ${SECONDS}s"
    start_moto "$(basename "$dir")"
    ctest --test-dir "$dir" -j"$parallel" --output-on-failure --timeout 600 || status=1
    stop_moto
    echo "=== $dir done at ${SECONDS}s"
}

echo "=== build build (Release) at ${SECONDS}s"
configure build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j"$jobs"

# The sanitizer build compiles while the Release tests run: the tests wait on servers and
# child processes much of the time (about 40 % of the cores idle), and at the lowest priority
# the compiler takes only what they leave. Its log is shown when it fails.
echo "=== build build-asan (AddressSanitizer + UndefinedBehaviorSanitizer) at ${SECONDS}s, beside the tests"
# With clang (the image's clang 14): against gcc 12 on the same sources and flags the build
# took 613-777 CPU-s instead of 940 and the suite 465 s instead of 550 (docs/architecture.md),
# and a second compiler's warnings come with it. The Release build, what ships, stays gcc.
configure build-asan -DCMAKE_BUILD_TYPE=Debug -DGDX_SANITIZE=ON -DCMAKE_CXX_COMPILER=clang++
nice -n 19 cmake --build build-asan -j"$jobs" >"$work/build-asan.log" 2>&1 &
asan_build=$!

run_tests build "$jobs"

asan_built=0
wait "$asan_build" && asan_built=1
echo "=== build-asan built at ${SECONDS}s"
if ((asan_built)); then
    # One test more than cores: a sanitizer test uses about 0.4 of a core on average (it waits
    # on its servers and child processes), and nothing compiles beside them any more.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        run_tests build-asan $((jobs + 1))
else
    tail -n 100 "$work/build-asan.log"
    echo "the sanitizer build failed (last lines above)" >&2
    status=1
fi
exit $status
