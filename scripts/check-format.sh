#!/usr/bin/env bash
# Fails when a C++ source of the repository is not as clang-format (.clang-format) prints it,
# and names the files. Fix with: clang-format -i FILE...
# Usage: scripts/check-format.sh [REPO_DIR]   (run by ctest as clang_format)
set -euo pipefail
# shellcheck source=lib/repo_files.sh
source "$(dirname "$0")/lib/repo_files.sh"
root=${1:-"$(dirname "$0")/.."}
cd "$root"

mapfile -t files < <(repo_files src tests bench fuzz | grep -E '\.(cpp|hpp)$')

# One clang-format process for all files; it names each file that differs.
report=$(clang-format --dry-run --Werror "${files[@]}" 2>&1 >/dev/null) && exit_code=0 || exit_code=$?
if ((exit_code)); then
    echo "not formatted as .clang-format says (clang-format -i FILE... fixes them):" >&2
    grep -oE '^[^:]+:[0-9]+:[0-9]+: error' <<<"$report" | cut -d: -f1 | sort -u | sed 's/^/  /' >&2
    exit 1
fi
echo "${#files[@]} C++ sources formatted as .clang-format says"
