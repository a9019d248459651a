#!/usr/bin/python3
"""Differential fuzzing of gdx's CSV reader against pandas' C engine (docs/reliability.md).

Random small inputs over the characters that matter to a CSV tokenizer (delimiters, quotes,
CR, LF, spaces, a BOM, non-ASCII letters) are read by gdx (gdx_csv_dump, the reader the
jobs use) and by pandas.read_csv(engine="c", header=None, dtype=str, keep_default_na=False)
with the same delimiter and quoting. Both must give the same records (pandas pads short rows
with "", so rows are compared padded) or both must refuse the input. pandas is Debian's
python3-pandas, hence /usr/bin/python3.

With --wide the inputs also have bare CRs as line breaks and quoting off (QUOTE_NONE). pandas
1.5's C tokenizer mishandles a bare CR (it drops the empty first field after one, and on some
inputs repeats a row), so there a disagreement with pandas is judged by a third reader, Python's
csv module: when gdx gives what csv gives (up to pandas' rule that drops lines of only spaces),
or refuses what csv refuses in strict mode, it is counted as a pandas quirk; any other
disagreement fails.

usage: csv_differential.py [--wide] GDX_CSV_DUMP [CASES] [SEED]
Prints one summary line; the first disagreements with their inputs (repr) when any.
"""
import csv
import io
import json
import random
import subprocess
import sys

import pandas as pd

ALPHABET = ["a", "b", "1", " ", "\"", "\"", "\n", "\n", "\r\n", "é", "€", "x y"]
# --wide adds a bare CR as a line break, and quoting off (QUOTE_NONE); see the docstring.
WIDE_ALPHABET = ALPHABET + ["\r"]
DELIMITERS = [",", "|", "\t", ";"]
WIDTH = 300  # pandas needs the column count up front; inputs are shorter than this


def random_input(rng, delim, alphabet):
    parts = [rng.choice(alphabet + [delim] * 4) for _ in range(rng.randint(0, 40))]
    text = "".join(parts)
    if rng.random() < 0.05:
        text = "\ufeff" + text
    return text.encode("utf-8")


def pandas_rows(data, delim, quoting):
    # A header line of WIDTH names fixes the column count (rows are padded, never refused for
    # being longer than the first); a BOM stays at the very start.
    bom = "\ufeff".encode("utf-8")
    body = data[len(bom):] if data.startswith(bom) else data
    header = delim.join("c%d" % i for i in range(WIDTH)).encode() + b"\n"
    try:
        df = pd.read_csv(io.BytesIO((bom if body is not data else b"") + header + body),
                         sep=delim, header=0, index_col=False,
                         dtype=str, keep_default_na=False, na_values=[], engine="c",
                         skip_blank_lines=True, encoding="utf-8",
                         quoting=csv.QUOTE_MINIMAL if quoting else csv.QUOTE_NONE)
    except pd.errors.EmptyDataError:
        return []
    except pd.errors.ParserError:
        return "error"
    return [list(r) for r in df.values.tolist()]


def gdx_rows(dump, data, delim, quoting):
    out = subprocess.run([dump, delim, "0", "1" if quoting else "0"], input=data,
                         capture_output=True, check=True).stdout.decode("utf-8")
    rows = []
    for line in out.splitlines():
        v = json.loads(line)
        if isinstance(v, dict):
            return "error"
        rows.append(v + [""] * (WIDTH - len(v)))
    return rows


def csv_module_rows(data, quoting, strict=False):
    """The records of Python's csv module, blank lines dropped, padded as the others."""
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    delim = quoting[1]
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=strict,
                               quoting=csv.QUOTE_MINIMAL if quoting[0] else csv.QUOTE_NONE))
    except csv.Error:
        return "error"
    return [r + [""] * (WIDTH - len(r)) for r in rows if r]


def without_space_lines(rows):
    """pandas (and gdx after it) skips a line of only spaces; csv keeps it as a record."""
    if rows == "error":
        return rows
    return [r for r in rows if not (any(r) and all(f.strip(" ") == "" for f in r))]


def main():
    args = [a for a in sys.argv[1:] if a != "--wide"]
    wide = "--wide" in sys.argv
    dump = args[0]
    cases = int(args[1]) if len(args) > 1 else 1000
    seed = int(args[2]) if len(args) > 2 else 1
    rng = random.Random(seed)
    disagreements = []
    pandas_quirks = 0
    for _ in range(cases):
        delim = rng.choice(DELIMITERS)
        quoting = not wide or rng.random() < 0.8
        data = random_input(rng, delim, WIDE_ALPHABET if wide else ALPHABET)
        ours, theirs = gdx_rows(dump, data, delim, quoting), pandas_rows(data, delim, quoting)
        if ours == theirs:
            continue
        # gdx refuses what csv refuses when strict (an unterminated quoted field), and reads
        # the rest as csv does when lenient (a quote in the middle of a field is a character).
        if wide and (without_space_lines(ours) == without_space_lines(
                csv_module_rows(data, (quoting, delim))) or (
                ours == "error" and csv_module_rows(data, (quoting, delim), True) == "error")):
            pandas_quirks += 1
            continue
        disagreements.append((data, delim, quoting, ours, theirs))
    print("csv differential%s: %d inputs (seed %d), %d disagreements with pandas %s%s" % (
        " (wide)" if wide else "", cases, seed, len(disagreements), pd.__version__,
        " (and %d where pandas mishandles a bare CR and gdx reads as Python's csv module)"
        % pandas_quirks if wide else ""))
    for data, delim, quoting, ours, theirs in disagreements[:5]:
        trim = lambda rows: rows if rows == "error" else [  # noqa: E731
            r[:max([i + 1 for i, f in enumerate(r) if f] or [0])] for r in rows]
        print("  input %r delimiter %r quoting %s\n    gdx:    %r\n    pandas: %r" % (
            data, delim, quoting, trim(ours), trim(theirs)))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
