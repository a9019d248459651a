#!/usr/bin/env bash
# Installs everything gdx needs to build and test on a fresh Debian 12 machine (run as root,
# or with sudo available). Safe to run again: apt and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi

packages=(
    build-essential cmake ninja-build pkg-config git
    libcurl4-openssl-dev libpugixml-dev libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
    libpq-dev libsqlite3-dev sqlite3 libssl-dev libpcre2-dev libhowardhinnant-date-dev tzdata
    libgtest-dev libgmock-dev libbenchmark-dev
    postgresql openssh-server
    python3 python3-pandas time
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# moto_server and boto3 may come with the image's own python instead of Debian's.
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "installing: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Node.js may come with the image (its own npm); Debian's packages otherwise.
if ! command -v npm >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
fi

# The stricter S3-compatible test server (s3rver) comes from npm into ./node_modules.
if [[ -f package.json && ! -x node_modules/.bin/s3rver ]]; then
    npm install --no-audit --no-fund --loglevel=error
fi
