#!/usr/bin/env bash
# Installs what gdx needs to build and run (nothing for the tests), builds the gdx binary only,
# and runs the README's transcript (its ```console blocks, command by command, in one shell) on
# the demo data in examples/: a directory as the bucket, SQLite as the warehouse, everything in
# ./demo/ (re-created). The test suite runs the same transcript and checks its output
# (tests/docs/run_transcripts.py), so what this prints is what the README shows.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_UNITY_BUILD=ON -DGDX_TESTS=OFF -DGDX_BENCH=OFF >/dev/null
cmake --build build --target gdx -j"$(nproc)"
echo

mapfile -t commands < <(awk '/^```console$/ { on = 1; next } /^```$/ { on = 0 } on && /^\$ / { print substr($0, 3) }' README.md)
for command in "${commands[@]}"; do
    printf '$ %s\n' "$command"
    eval "$command"
done
