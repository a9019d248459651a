#!/usr/bin/python3
"""Differential fuzzing of gdx's CSV reader against pandas' C engine (docs/reliability.md).

Random small inputs over the characters that matter to a CSV tokenizer (delimiters, quotes,
CR, LF, spaces, a BOM, non-ASCII letters) are read by gdx (gdx_csv_dump, the reader the
jobs use) and by pandas.read_csv(engine="c", header=None, dtype=str, keep_default_na=False)
with the same delimiter and quoting. Both must give the same records (pandas pads short rows
with "", so rows are compared padded) or both must refuse the input. pandas is Debian's
python3-pandas, hence /usr/bin/python3.

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
# --wide adds what is known to disagree and not yet triaged (docs/reliability.md): a bare CR
# as a line break, and quoting off (QUOTE_NONE).
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


def main():
    args = [a for a in sys.argv[1:] if a != "--wide"]
    wide = "--wide" in sys.argv
    dump = args[0]
    cases = int(args[1]) if len(args) > 1 else 1000
    seed = int(args[2]) if len(args) > 2 else 1
    rng = random.Random(seed)
    disagreements = []
    for _ in range(cases):
        delim = rng.choice(DELIMITERS)
        quoting = not wide or rng.random() < 0.8
        data = random_input(rng, delim, WIDE_ALPHABET if wide else ALPHABET)
        ours, theirs = gdx_rows(dump, data, delim, quoting), pandas_rows(data, delim, quoting)
        if ours != theirs:
            disagreements.append((data, delim, quoting, ours, theirs))
    print("csv differential%s: %d inputs (seed %d), %d disagreements with pandas %s" % (
        " (wide)" if wide else "", cases, seed, len(disagreements), pd.__version__))
    for data, delim, quoting, ours, theirs in disagreements[:5]:
        trim = lambda rows: rows if rows == "error" else [  # noqa: E731
            r[:max([i + 1 for i, f in enumerate(r) if f] or [0])] for r in rows]
        print("  input %r delimiter %r quoting %s\n    gdx:    %r\n    pandas: %r" % (
            data, delim, quoting, trim(ours), trim(theirs)))
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())
