#!/usr/bin/env python3
"""Runs the transcripts in the README and docs as printed and compares their output.

A transcript is a ```console block: lines starting with `$ ` are commands, the lines after a
command up to the next one are what it prints (stdout and stderr). All the blocks of one file
run, in order, in one bash session (so `cd` and `export` carry over) inside a fresh copy of the
repository, with the gdx under test as `build/gdx`. Comparison rules:
  * a line that is only `…` stands for any number of lines;
  * `…` inside a line stands for any text;
  * times and durations (`2026-11-28 01:15:11-0700 (MST)`, `elapsing: 0:00:00.095391`) match
    any time.
A command's exit status must be 0 unless its expected output ends with `[exit N]`.

Usage: run_transcripts.py --gdx BUILD/gdx --repo SOURCE_DIR FILE.md...
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

ELLIPSIS = "…"
TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d{4} \([A-Z]+\)")
ELAPSED = re.compile(r"elapsing: \d+:\d\d:\d\d\.\d+")
EXIT = re.compile(r"^\[exit (\d+)\]$")


def transcripts(text):
    """[(command, expected_lines, expected_exit)] of every ```console block, in order."""
    steps = []
    in_block = False
    for line in text.splitlines():
        if not in_block:
            in_block = line.strip() == "```console"
            continue
        if line.strip() == "```":
            in_block = False
            continue
        if line.startswith("$ "):
            steps.append([line[2:], [], 0])
        elif steps:
            m = EXIT.match(line)
            if m:
                steps[-1][2] = int(m.group(1))
            else:
                steps[-1][1].append(line)
    # Blank lines that only separate commands in the block are not output.
    for step in steps:
        while step[1] and step[1][-1] == "":
            step[1].pop()
    return steps


def normalise(line):
    return ELAPSED.sub("elapsing: <t>", TIME.sub("<time>", line.rstrip()))


def line_matches(expected, actual):
    parts = [re.escape(normalise(p)) for p in expected.split(ELLIPSIS)]
    return re.fullmatch(".*".join(parts), normalise(actual)) is not None


def lines_match(expected, actual):
    """Expected lines (with `…` wildcards) against actual lines; blank lines are ignored."""
    expected = [e for e in expected if e.strip()]
    actual = [a for a in actual if a.strip()]

    def match(i, j):
        if i == len(expected):
            return j == len(actual)
        if expected[i].strip() == ELLIPSIS:
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and line_matches(expected[i], actual[j]) and match(i + 1, j + 1)

    return match(0, 0)


def copy_repo(repo, dest, gdx):
    files = subprocess.run(
        ["git", "-C", repo, "ls-files", "--cached", "--others", "--exclude-standard"],
        check=True, capture_output=True, text=True).stdout.split("\n")
    for f in filter(None, files):
        src = os.path.join(repo, f)
        if not os.path.isfile(src):
            continue
        os.makedirs(os.path.dirname(os.path.join(dest, f)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, f))
    os.makedirs(os.path.join(dest, "build"), exist_ok=True)
    shutil.copy2(gdx, os.path.join(dest, "build", "gdx"))


def run_session(steps, cwd):
    """Runs the commands in one bash session; returns [(output_lines, exit_code)]."""
    marker = "@@gdx-transcript-step@@"
    script = ["exec 2>&1"]
    for cmd, _, _ in steps:
        script.append(cmd)
        script.append(f'echo "{marker} $?"')
    env = {k: v for k, v in os.environ.items() if not k.startswith("GDX_")}
    env["TERM"] = "dumb"
    out = subprocess.run(["bash", "-c", "\n".join(script)], cwd=cwd, env=env,
                         capture_output=True, text=True, timeout=600).stdout
    results, current = [], []
    for line in out.split("\n"):
        if line.startswith(marker):
            results.append((current, int(line.split()[-1])))
            current = []
        else:
            current.append(line)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gdx", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    failures = 0
    checked = 0
    for name in args.files:
        with open(os.path.join(args.repo, name), encoding="utf-8") as f:
            steps = transcripts(f.read())
        if not steps:
            continue
        with tempfile.TemporaryDirectory(prefix="gdx-transcript-") as tmp:
            copy_repo(args.repo, tmp, args.gdx)
            results = run_session(steps, tmp)
        for i, (cmd, expected, code) in enumerate(steps):
            checked += 1
            if i >= len(results):
                print(f"{name}: `{cmd}` did not run (the session ended early)")
                failures += 1
                continue
            actual, got = results[i]
            if got != code or not lines_match(expected, actual):
                failures += 1
                print(f"{name}: `{cmd}` exited {got} (expected {code}); output:")
                print("\n".join("    " + a for a in actual))
                print("  expected:")
                print("\n".join("    " + e for e in expected))
    print(f"{checked} transcript commands checked, {failures} failed")
    return 1 if failures or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
