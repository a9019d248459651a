#!/usr/bin/env bash
# Runs a test binary as on a clone without the originals' configs: listing its tests must work,
# and every test FILTER selects must be skipped with a message naming GDX_ORIGINAL_CONFIGS.
# Usage: without_original_configs.sh TEST_BINARY FILTER   (registered with ctest)
set -euo pipefail
bin=$1
filter=$2
export GDX_ORIGINAL_CONFIGS=/nonexistent/original-configs

"$bin" --gtest_list_tests >/dev/null
out=$("$bin" --gtest_filter="$filter" 2>&1) || {
    echo "$out"
    exit 1
}
ran=$(sed -n 's/^\[==========\] \([0-9]*\) tests\? from .* ran\..*/\1/p' <<<"$out")
skipped=$(sed -n 's/^\[  SKIPPED \] \([0-9]*\) tests\?, listed below:.*/\1/p' <<<"$out")
if [[ -z $ran || $ran -eq 0 || $skipped != "$ran" ]] ||
    ! grep -q 'set GDX_ORIGINAL_CONFIGS to their folder' <<<"$out"; then
    echo "$out"
    echo "expected all ${ran:-0} tests of '$filter' to be skipped naming GDX_ORIGINAL_CONFIGS" >&2
    exit 1
fi
echo "$skipped tests skipped without the originals' configs"
