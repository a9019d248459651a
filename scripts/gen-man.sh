#!/usr/bin/env bash
# Writes the manual page gdx(1): docs/gdx.1.in with its COMMANDS section generated from the
# binary's own --help texts, so that every subcommand and option is listed as gdx knows it.
# Usage: scripts/gen-man.sh GDX_BINARY TEMPLATE OUT   (run by the build; installed by
# cmake --install)
set -euo pipefail
gdx=$1
template=$2
out=$3

# roff-safe text: backslashes and hyphens escaped, no line starting with . or '.
roff() { sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

# CLI11's help: "Section:" headings, then two-space-indented "name  description" lines, with
# continuation lines indented further. Each entry becomes a tagged paragraph.
help_to_roff() {
    awk '
        /^[A-Za-z][A-Za-z ]*:$/ { section = $0; next }
        /^  [^ ]/ && section != "" {
            line = substr($0, 3)
            split_at = match(line, /  +/)
            if (split_at) { name = substr(line, 1, split_at - 1); desc = substr(line, split_at + RLENGTH) }
            else { name = line; desc = "" }
            printf ".TP\n.B %s\n%s\n", name, desc
            next
        }
        /^      +[^ ]/ && section != "" { sub(/^ +/, ""); print; next }
    '
}

commands=$("$gdx" --help | awk '/^Subcommands:$/ { on = 1; next } on && /^  [^ ]/ { print $1 }')
version=$("$gdx" --version | awk '{ print $NF }')
{
    for c in $commands; do
        help=$("$gdx" "$c" --help)
        printf '.SS "gdx %s"\n' "$c"
        # The first line is the description; the rest lists positionals and options.
        head -n 1 <<<"$help" | roff
        printf '.PP\n'
        tail -n +2 <<<"$help" | grep -v '^Usage:' | roff | help_to_roff
    done
} >"$out.commands"

awk -v version="$version" -v commands="$out.commands" '
    /^\.\\" @COMMANDS@$/ { while ((getline line < commands) > 0) print line; next }
    { gsub(/@VERSION@/, version); print }
' "$template" >"$out"
rm -f "$out.commands"
