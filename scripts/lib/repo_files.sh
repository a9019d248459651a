# Sourced by the repository's checks (check-format.sh, check-references.sh).
# repo_files PATH...: prints the repository's files under the given paths (folders or files),
# one per line, relative to the current directory (the repository's root): what git tracks or
# would add (ignored files left out) in a work tree; every file found there otherwise (a copy
# of the sources without .git). Files git lists but the work tree no longer has are left out.
repo_files() {
    local f
    if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        git ls-files --cached --others --exclude-standard -- "$@"
    else
        find "$@" -type f 2>/dev/null
    fi | while IFS= read -r f; do [[ -f $f ]] && printf '%s\n' "$f"; done
}
