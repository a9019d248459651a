#!/usr/bin/env bash
# Fails when the repository cites something a reader of it cannot open: the design notes and
# specs this project started from (DESIGN.md, its § sections, the specs' bug ids such as B10,
# spec file names) or a folder outside the repository (../shared). What a maintainer needs
# from them is in docs/ (docs/semantics.md, docs/differences.md, ...): cite that instead.
# The one allowed exception is the default of GDX_ORIGINAL_CONFIGS in tests/CMakeLists.txt.
# Usage: scripts/check-references.sh [REPO_DIR]   (run by ctest as repository_references)
set -euo pipefail
# shellcheck source=lib/repo_files.sh
source "$(dirname "$0")/lib/repo_files.sh"
root=${1:-"$(dirname "$0")/.."}
cd "$root"

mapfile -t files < <(repo_files src tests bench scripts docs examples README.md CMakeLists.txt .ci)

self=scripts/check-references.sh
pattern='DESIGN(\.md| *§)|§|\<B[0-9]{1,2}\>|/work/shared|\.\./shared|(^|[^[:alnum:]_])spec/|\<(s3_to_redshift|cmslite_metadata|google_apis|sfts_and_exports|TESTING)\.md\>'
status=0
# One grep over every file (one process per file took 14-40 s of the suite).
checked=()
for f in "${files[@]}"; do [[ $f != "$self" ]] && checked+=("$f"); done
while IFS= read -r hit; do
    # The default location of the originals' configs, named once.
    [[ $hit == tests/CMakeLists.txt:*'set(GDX_ORIGINAL_CONFIGS_DEFAULT'* ]] && continue
    echo "$hit"
    status=1
done < <(grep -nIE -- "$pattern" "${checked[@]}" || true)
# Every docs/NAME.md[#anchor] cited must exist, down to the heading the anchor names.
slug() { tr 'A-Z' 'a-z' | sed -E 's/[^a-z0-9 _-]//g; s/ /-/g'; }
while IFS= read -r cite; do
    doc=${cite%%#*}
    anchor=${cite#"$doc"}
    anchor=${anchor#\#}
    if [[ ! -f $doc ]]; then
        echo "cites $cite: no such file"
        status=1
    elif [[ -n $anchor ]] &&
        ! sed -n 's/^#\{1,6\} \(.*\)$/\1/p' "$doc" | slug | grep -qx -- "$anchor"; then
        echo "cites $cite: no such heading in $doc"
        status=1
    fi
done < <(grep -ohIE -- 'docs/[A-Za-z0-9_.-]+\.md(#[a-z0-9_-]+)?' "${checked[@]}" | sort -u)

if ((status)); then
    echo "references a reader of this repository cannot open (see $self): cite docs/ instead" >&2
fi
exit $status
