#!/usr/bin/python3
"""The original s3_to_redshift transform, done with pandas as the original did it.

Usage: pandas_baseline.py CONFIG INPUT OUTPUT

Replays the original service's transform on a local file instead of an S3 object:
decode, strip_quotes, read_csv (sep, dtype map, usecols=range(column_count), header),
rename, column_string_limit, drop_columns, add_columns, replace (computed and discarded,
as in the original), dateformat via to_datetime(format=), Int64 cast, pipe escaping of
text columns, to_csv(sep='|', index=False) and encoding of the result. That span - object
bytes in memory to batch bytes in memory - is what is timed; reading INPUT and writing
OUTPUT are not. Prints the per-step times and, last, a line `RESULT mb_per_s=<x>` (MB =
10^6 bytes of input, wall clock) for bench/run.sh;
cpu_seconds there is the process CPU time of the same span.

Run it with /usr/bin/python3 (Debian's python3-pandas 1.5.3).
"""
import io
import json
import sys
import time

import pandas as pd


def build_dtype_map(config):
    """The original's dtype dictionary: later lists override earlier ones for a name."""
    dtypes = {}
    for name in config.get("dtype_dic_strings", []):
        dtypes[name] = str
    for name in config.get("dtype_dic_bools", []):
        dtypes[name] = bool
    for name in config.get("dtype_dic_ints", []):
        dtypes[name] = pd.Int64Dtype()
    for name in config.get("dtype_dic_floats", []):
        dtypes[name] = float
    return dtypes


def transform(config, body, timings):
    t = time.perf_counter()
    text = body.decode(config.get("encoding", "utf-8"))
    if config.get("strip_quotes"):
        text = text.replace('"', "")
    timings["decode"] = time.perf_counter() - t

    t = time.perf_counter()
    df = pd.read_csv(
        io.StringIO(text),
        sep=config["delim"],
        index_col=False,
        dtype=build_dtype_map(config),
        usecols=range(config["column_count"]),
        header=None if config.get("no_header") else "infer",
    )
    del text
    timings["read_csv"] = time.perf_counter() - t

    t = time.perf_counter()
    df.columns = config["columns"]
    for name, limit in config.get("column_string_limit", {}).items():
        df[name] = df[name].str.slice(0, limit)
    if config.get("drop_columns"):
        df = df.drop(columns=config["drop_columns"])
    for name, value in config.get("add_columns", {}).items():
        df[name] = value
    for rule in config.get("replace", []):
        df[rule["field"]].str.replace(rule["old"], rule["new"], regex=False)  # discarded, as originally
    timings["edits"] = time.perf_counter() - t

    t = time.perf_counter()
    for rule in config.get("dateformat", []):
        df[rule["field"]] = pd.to_datetime(df[rule["field"]], format=rule["format"])
    timings["dateformat"] = time.perf_counter() - t

    t = time.perf_counter()
    for name in config.get("dtype_dic_ints", []):
        df[name] = df[name].astype(pd.Int64Dtype())
    for name, dtype in dict(df.dtypes).items():
        if dtype == "object":
            df[name] = df[name].str.replace("|", "\\|", regex=False)
    timings["cast_escape"] = time.perf_counter() - t

    t = time.perf_counter()
    buffer = io.StringIO()
    df.to_csv(buffer, sep="|", index=False)
    rows = len(df)
    del df
    timings["to_csv"] = time.perf_counter() - t

    t = time.perf_counter()
    batch = buffer.getvalue().encode("utf-8")
    timings["encode"] = time.perf_counter() - t
    return batch, rows


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    config_path, input_path, output_path = sys.argv[1:]
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    with open(input_path, "rb") as f:
        body = f.read()

    timings = {}
    start, cpu_start = time.perf_counter(), time.process_time()
    batch, rows = transform(config, body, timings)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start

    with open(output_path, "wb") as f:
        f.write(batch)

    mb = len(body) / 1e6
    steps = ", ".join("%s %.2f s" % (k, v) for k, v in timings.items())
    print("pandas %s: %.1f MB, %d rows -> %.1f MB batch in %.2f s, cpu %.2f s (%s)"
          % (pd.__version__, mb, rows, len(batch) / 1e6, elapsed, cpu, steps))
    print("RESULT mb_per_s=%.2f seconds=%.3f rows=%d cpu_seconds=%.3f"
          % (mb / elapsed, elapsed, rows, cpu))


if __name__ == "__main__":
    main()
