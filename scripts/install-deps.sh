#!/usr/bin/env bash
# Installs what gdx needs on a fresh Debian 12 machine (run as root, or with sudo available).
#   scripts/install-deps.sh          what building and running gdx needs (scripts/demo.sh)
#   scripts/install-deps.sh --test   that, plus what the test suite and the benchmarks need:
#                                    GoogleTest, Google Benchmark, PostgreSQL, sshd, Python with
#                                    pandas, Node.js and s3rver, clang-format, and clang with its
#                                    sanitizer and libFuzzer runtimes (scripts/test.sh builds the
#                                    sanitizer suite with clang; the fuzzing campaign of
#                                    scripts/reliability.sh needs the same)
# Safe to run again: apt and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
case "${1:-}" in
    "") ;;
    --test) with_tests=1 ;;
    *)
        echo "usage: $0 [--test]" >&2
        exit 2
        ;;
esac

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

# Building and running gdx.
packages=(
    build-essential cmake ninja-build pkg-config
    libcurl4-openssl-dev libpugixml-dev libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
    libpq-dev libsqlite3-dev libssl-dev libpcre2-dev libhowardhinnant-date-dev tzdata
    libzstd-dev libssh2-1-dev
)
# The test suite and the benchmarks. moto_server and boto3 may come with the image's own
# python instead of Debian's.
if ((with_tests)); then
    packages+=(
        git sqlite3 man-db clang-format
        libgtest-dev libgmock-dev libbenchmark-dev
        postgresql openssh-server
        python3 python3-pandas time
        clang libclang-rt-14-dev
    )
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "installing: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

((with_tests)) || exit 0

# Node.js may come with the image (its own npm); Debian's packages otherwise.
if ! command -v npm >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

# The stricter S3-compatible test server (s3rver) comes from npm into ./node_modules.
if [[ -f package.json && ! -x node_modules/.bin/s3rver ]]; then
    npm install --no-audit --no-fund --loglevel=error
fi
