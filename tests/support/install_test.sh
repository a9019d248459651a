#!/usr/bin/env bash
# `cmake --install` puts a working gdx and its manual page under a prefix.
# Usage: install_test.sh BUILD_DIR   (registered with ctest)
set -euo pipefail
build=$1
prefix=$(mktemp -d /tmp/gdx-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT

cmake --install "$build" --prefix "$prefix" >/dev/null
fail() {
    echo "install test: $*" >&2
    exit 1
}
[[ -x $prefix/bin/gdx ]] || fail "no $prefix/bin/gdx"
page=$prefix/share/man/man1/gdx.1
[[ -f $page ]] || fail "no $page"

# The installed binary runs from PATH.
PATH="$prefix/bin:$PATH" gdx --help >"$prefix/help.txt" || fail "gdx --help failed"
grep -q s3-to-redshift "$prefix/help.txt" || fail "gdx --help does not list s3-to-redshift"

# `man gdx` finds the page through the prefix, and it documents every subcommand and option
# the binary knows.
if command -v man >/dev/null; then
    [[ $(LC_ALL=C MANPATH="$prefix/share/man" man -w gdx) == "$page" ]] || fail "man -w gdx is not $page"
    LC_ALL=C MANWIDTH=200 man -l "$page" 2>/dev/null | sed 's/\x08.//g' >"$prefix/man.txt"
else
    cp "$page" "$prefix/man.txt"  # no man-db: check the roff source
    sed -i 's/\\-/-/g' "$prefix/man.txt"
fi
commands=$("$prefix/bin/gdx" --help | awk '/^Subcommands:$/ { on = 1; next } on && /^  [^ ]/ { print $1 }')
[[ -n $commands ]] || fail "gdx --help lists no subcommand"
for c in $commands; do
    grep -q "gdx $c" "$prefix/man.txt" || fail "the manual page does not document gdx $c"
    for opt in $("$prefix/bin/gdx" "$c" --help | grep -oE '^  +-[-A-Za-z,]+' | tr -d ' '); do
        grep -qF -- "$opt" "$prefix/man.txt" || fail "the manual page does not document gdx $c $opt"
    done
done
echo "installed gdx and gdx.1 under a prefix; man gdx documents: $(echo $commands)"
