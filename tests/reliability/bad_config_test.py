#!/usr/bin/env python3
"""Bad config input, exhaustively (docs/reliability.md, "Bad input").

The keys come from docs/config-reference.md: every table row of every job's section names its
keys, whether they are required and their type. For every key the test derives the bad
values its type allows — a wrong JSON type, a value out of range, the key missing when it is
required, and for flags (Python truthiness) a string, which is a warning, and so exit 2 with
--strict — and runs the job on a valid config with that one change. Each run must exit 2 with
a message naming the key and the config file, and leave the workspace byte for byte as it
was: no object stored or moved, no table, no log directory, no SQLite file.

A key of the reference that the test cannot classify fails the test: document the key's
type, or add it to OVERRIDES.

usage: bad_config_test.py [GDX_BINARY]     (default: build/gdx)
"""
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import support  # noqa: E402

REFERENCE = os.path.join(support.SOURCE_DIR, "docs/config-reference.md")

# A valid config per job (embedded store and warehouse, nothing in them). Every run changes
# one key of it.
BASE = {
    "s3-to-redshift": {
        "bucket": "demo-bucket", "source": "client", "destination": "processed", "directory": "calls",
        "doc": "calls-.*\\.csv", "dbtable": "demo.calls", "column_count": 3,
        "columns": ["id", "day", "note"], "delim": ",", "truncate": False,
    },
    "cmslite-metadata": {
        "bucket": "demo-bucket", "source": "client", "destination": "processed", "directory": "cms",
        "doc": "cms_.*\\.csv", "dbtable": "metadata", "column_count": 3,
        "columns": ["node_id", "tags", "modified"], "columns_metadata": ["node_id", "modified"],
        "columns_lookup": ["tags"], "dbtables_dictionaries": ["tags"],
        "dbtables_metadata": ["metadata_tags"], "nested_delim": "|", "delim": ",",
        "sql_query": "post.sql", "truncate": True,
    },
    "derived-table": {"schema": "demo", "dbtable": "dt", "dml": "dt.sql"},
    "redshift-to-s3": {
        "bucket": "demo-bucket", "storage": "client", "archive": "processed", "directory": "out/all",
        "object_prefix": "pmrp", "dml": "export.sql", "header": True,
        "sql_parse_key": "pmrp_date_range", "start_date": "20240101", "end_date": "20240131",
    },
    "google-search": {
        "bucket": "demo-bucket", "source": "client", "directory": "google", "dbtable": "google.search",
        "dml": "dt.sql", "sites": [{"name": "https://www.example.ca/",
                                    "start_date_default": "2024-01-01"}],
    },
    "google-business": {
        "bucket": "demo-bucket", "source": "client", "directory": "gmb",
        "dbtable": "google.business", "metrics": ["BUSINESS_IMPRESSIONS_DESKTOP_MAPS"],
        "locations": [{"client_shortname": "sbc", "name": "Service BC", "id": 123,
                       "start_date": "", "end_date": ""}],
    },
    "s3-to-sfts": {
        "bucket": "demo-bucket", "source": "client", "source_client": "c", "source_directory": "d",
        "archive": "processed", "archive_client": "c", "archive_directory": "d",
        "object_prefix": "pmrp", "sfts_path": "in", "sfts_host": "127.0.0.1", "sfts_port": 1,
        "sfts_host_key_sha256": "SHA256:" + "A" * 43,
    },
}

SETUP_SQL = (
    "CREATE SCHEMA demo; CREATE TABLE demo.calls (id VARCHAR(10), day VARCHAR(10), "
    "note VARCHAR(10)); "
    "CREATE SCHEMA microservice; CREATE TABLE microservice.metadata (node_id VARCHAR(10), "
    "modified VARCHAR(30)); CREATE TABLE microservice.tags (id INTEGER, value VARCHAR(50)); "
    "CREATE TABLE microservice.metadata_tags (node_id VARCHAR(10), id INTEGER); "
    "CREATE SCHEMA google; CREATE TABLE google.search (site VARCHAR(255), date DATE, "
    "query VARCHAR(2048), country VARCHAR(255), device VARCHAR(255), page VARCHAR(2047), "
    "position FLOAT, clicks INTEGER, ctr FLOAT, impressions INTEGER); "
    "CREATE TABLE google.business (date DATE, client VARCHAR(255), location VARCHAR(255), "
    "location_id VARCHAR(255), business_impressions_desktop_maps INTEGER)")

# What the type column of the reference means for the bad values: (wrong type, out of range).
# None: the type has no such value (e.g. a flag takes every JSON value).
TYPE_RULES = [
    # (pattern in the type text, wrong type, out of range)
    (r"^flag", None, None),
    (r"true`/`false", "false", None),
    (r"one character or `false`", 5, "ab"),
    (r"exactly one ascii character|one ascii character", 5, "ab"),
    (r"integer ≥ 1", "1", 0),
    (r"integer ≥ 0", "1", -1),
    (r"^integer", "1", None),
    (r"non-empty list|list of `column_count`|list, at least as long|list, same rule", "x", []),
    (r"^list|string or list", 5, None),
    (r"^object", [], None),
    # Out of range: a day of the right shape that the calendar lacks, so that the calendar
    # check, not the shape check, refuses it.
    (r"^`yyyymmdd`", 20240101, "20230229"),
    (r"yyyy-mm-dd", 20240101, "2023-02-29"),
    (r"`\"pmrp_date_range\"`", 5, "other"),
    (r"string `schema.table`", 5, "no_schema"),
    (r"^string|^path|python regex", 5, None),
    (r"^any", None, None),
]

# Keys whose bad values the type text does not say, by (job, key): {"wrong": v, "range": v}
# (None = no such value).
OVERRIDES = {
    ("s3-to-redshift", "file_limit"): {"wrong": None, "range": None},  # anything else = no cap
    ("s3-to-redshift", "doc"): {"range": "(unclosed"},
    ("s3-to-redshift", "encoding"): {"range": "no-such-codec"},
    ("s3-to-redshift", "dtype_dic_strings"): {"range": None},
    ("s3-to-redshift", "column_string_limit"): {"range": {"note": 0}},
    ("s3-to-redshift", "drop_columns"): {"range": ["no_such_column"]},
    ("s3-to-redshift", "replace"): {"range": [{"field": "no_such_column", "old": "a",
                                               "new": "b"}]},
    ("s3-to-redshift", "dateformat"): {"range": [{"field": "day", "format": "%Q"}]},
    ("s3-to-redshift", "add_columns"): {"range": {"c": [1]}},
    ("cmslite-metadata", "doc"): {"range": "(unclosed"},
    ("cmslite-metadata", "columns_lookup"): {"range": ["no_such_column"]},
    ("cmslite-metadata", "nested_delim"): {"range": ","},  # equal to delim
    # pandas ignores a rename of a missing column: a warning, so exit 2 under --strict.
    ("cmslite-metadata", "rename"): {"wrong": "x", "range": [{"old": "nope", "new": "x"}],
                                     "strict": True},
    ("cmslite-metadata", "replace"): {"wrong": "x", "range": [{"field": "nope", "old": "a",
                                                                "new": "b"}]},
    ("cmslite-metadata", "dateformat"): {"wrong": "x", "range": [{"field": "modified",
                                                                   "format": "%Q"}]},
    ("redshift-to-s3", "date_list"): {"wrong": "20240101", "range": ["2024-04-31"]},
    ("redshift-to-s3", "delimiter"): {"range": "'"},
    ("google-search", "sites"): {"wrong": "x", "range": []},
    ("google-search", "sites[].name"): {"wrong": 5, "range": "https://x\\y/"},
    ("google-business", "metrics"): {"range": ["NO_SUCH_METRIC"]},
    ("google-business", "locations[].client_shortname"): {"range": "a/b"},
    ("google-business", "locations[].id"): {"wrong": [1]},
    ("s3-to-sfts", "object_prefix"): {"range": "(unclosed"},
    ("s3-to-sfts", "sfts_port"): {"range": 70000},
    ("s3-to-sfts", "max_attempts"): {"range": -1},
    ("s3-to-sfts", "sfts_protocol"): {"range": "ftp"},
    ("s3-to-sfts", "sfts_host_key_sha256"): {"range": "not-a-fingerprint"},
}

# Keys the reference lists that are read but unused, or whose every value is accepted.
UNCHECKED = {
    ("s3-to-redshift", "dbschema"): "read, unused (as in the original)",
    ("cmslite-metadata", "dbtable"): "read, unused (the main table is metadata)",
    ("cmslite-metadata", "dtype_dic_strings"): "informational: every cell is text",
    ("s3-to-sfts", "header"): "read, unused (as in the original)",
}


# Cases where gdx and the reference disagree and which are left to the job's owner: reported
# on every run, not failed. Remove an entry once the two agree.
KNOWN_GAPS = {}


def reference_keys():
    """[(job, key, required, type text)] from the reference's tables."""
    keys, job, heading, columns = [], None, "", None
    with open(REFERENCE, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^## `gdx ([a-z0-9-]+)`", line)
            if m:
                job, columns = m.group(1), None
                continue
            if line.startswith("## ") or line.startswith("### "):
                job = None if line.startswith("## ") else job
                if line.startswith("### Derived"):
                    job = None
                continue
            if not line.startswith("|"):
                if line.strip():
                    heading = line.strip()
                columns = None
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if columns is None:
                columns = [c.lower() for c in cells]
                continue
            if job is None or set(cells[0]) <= {"-"} or "key" not in columns:
                continue
            names = re.findall(r"`([^`]+)`", cells[0])
            row = dict(zip(columns, cells))
            req = row.get("req?", "yes" if heading.startswith("Required keys") else "no")
            for name in names:
                keys.append((job, name, req.lower(), row.get("type", "").lower()))
    return keys


def bad_values(job, key, typ):
    """{case: value} for one key, or raises when the type is unknown."""
    rule = None
    for pattern, wrong, out in TYPE_RULES:
        if re.search(pattern, typ):
            rule = {"wrong": wrong, "range": out}
            break
    if rule is None and (job, key) not in OVERRIDES:
        raise KeyError("%s: key %s: cannot classify type '%s'" % (job, key, typ))
    rule = dict(rule or {"wrong": None, "range": None})
    rule.update(OVERRIDES.get((job, key), {}))
    return {case: v for case, v in rule.items() if v is not None and case != "strict"}


def set_key(cfg, key, value):
    if "[]." in key:  # a member of the first entry of a list, e.g. sites[].name
        parent, member = key.split("[].", 1)
        cfg[parent][0][member] = value
    else:
        cfg[key] = value


def drop_key(cfg, key):
    if "[]." in key:
        parent, member = key.split("[].", 1)
        del cfg[parent][0][member]
    else:
        del cfg[key]


class Workspace:
    """A working directory with an empty file store and no warehouse yet."""

    def __init__(self, gdx):
        self.gdx = gdx
        self.dir = tempfile.mkdtemp(prefix="gdx-badcfg-")
        os.makedirs(os.path.join(self.dir, "store", "demo-bucket"))
        for rel, text in (("dml/dt.sql", "SELECT 1"), ("dml/export.sql", "SELECT 1 AS x"),
                          ("ddl/post.sql", "SELECT 1")):
            os.makedirs(os.path.dirname(os.path.join(self.dir, rel)), exist_ok=True)
            with open(os.path.join(self.dir, rel), "w") as f:
                f.write(text)
        with open(os.path.join(self.dir, "secrets.json"), "w") as f:
            json.dump({"installed": {"client_id": "cid", "client_secret": "client-secret-1"}}, f)
        with open(os.path.join(self.dir, "credentials.dat"), "w") as f:
            json.dump({"client_id": "cid", "client_secret": "client-secret-1",
                       "refresh_token": "refresh-token-1"}, f)
        # The tables the base configs load into exist: a config error is then the only reason
        # for exit 2.
        r = support.run_gdx(gdx, ["sql", "--warehouse", "sqlite:gdx.db", "--log-dir", "logs",
                                  "-c", SETUP_SQL], support.base_env(), self.dir)
        assert r.code == 0, r
        shutil.rmtree(os.path.join(self.dir, "logs"), ignore_errors=True)

    def run(self, job, cfg, extra=()):
        os.makedirs(os.path.join(self.dir, "config.d"), exist_ok=True)
        path = os.path.join(self.dir, "config.d", "case.json")
        with open(path, "w") as f:
            json.dump(cfg, f, indent=1)
        args = [job, path, "--store", "file:store", "--warehouse", "sqlite:gdx.db",
                "--log-dir", "logs"] + list(extra)
        if job == "derived-table":
            args.remove("--store"), args.remove("file:store")
        if job in ("google-search", "google-business"):
            args += ["--client-secrets", "secrets.json", "--credentials", "credentials.dat"]
        env = support.base_env({"sfts_user": "u", "sfts_pass": "sfts-password-1", "GDX_TOKEN_URI": "http://127.0.0.1:9/token",
                                "GDX_TODAY": "2024-02-01"})
        return support.run_gdx(self.gdx, args, env, self.dir)

    def snapshot(self):
        return support.tree_bytes(self.dir, skip={"config.d/case.json"})


def check_runs(ws, job, key, runs, rows, failures):
    """Runs each (case, config, extra args) and records whether it was refused cleanly."""
    for case, cfg, extra in runs:
        if (job, key, case) in KNOWN_GAPS:
            rows.append((job, key, case, -1, True))
            print("known gap: %s %s (%s): %s" % (job, key, case, KNOWN_GAPS[(job, key, case)]))
            continue
        before = ws.snapshot()
        r = ws.run(job, cfg, extra)
        after = ws.snapshot()
        leaf = key.split(".")[-1]
        problems = []
        if r.code != 2:
            problems.append("exit %d" % r.code)
        if leaf not in r.err:
            problems.append("message does not name the key")
        if "case.json" not in r.err:
            problems.append("message does not name the file")
        if before != after:
            changed = sorted(set(before) ^ set(after)) or sorted(
                k for k in before if before[k] != after.get(k))
            problems.append("workspace changed: %s" % changed[:5])
        rows.append((job, key, case, r.code, not problems))
        if problems:
            failures.append("%s %s (%s = %s): %s\n%s" % (
                job, key, case, json.dumps(cfg.get(key.split("[]")[0])), ", ".join(problems),
                r.err.strip()[:400]))


def main():
    gdx = support.gdx_binary(sys.argv)
    ws = Workspace(gdx)
    failures, rows, skipped = [], [], []
    try:
        keys = reference_keys()
        jobs = sorted({job for job, _, _, _ in keys})
        missing_jobs = set(jobs) ^ set(BASE)
        if missing_jobs:
            failures.append("jobs of the reference without a base config (or the reverse): %s"
                            % sorted(missing_jobs))
        for job in sorted(BASE):
            # The base config gets past validation (control: otherwise every case passes).
            r = ws.run(job, BASE[job])
            if r.code == 2:
                failures.append("%s: the base config is refused\n%r" % (job, r))
        shutil.rmtree(os.path.join(ws.dir, "logs"), ignore_errors=True)
        # An unknown key is a warning, and so exit 2 under --strict, in every job.
        keys += [(job, "no_such_key", "unknown", "") for job in sorted(BASE)]
        for job, key, req, typ in keys:
            if req == "unknown":
                cfg = json.loads(json.dumps(BASE[job]))
                cfg[key] = 1
                runs = [("unknown key --strict", cfg, ("--strict",))]
                check_runs(ws, job, key, runs, rows, failures)
                continue
            if (job, key) in UNCHECKED:
                skipped.append("%s %s: %s" % (job, key, UNCHECKED[(job, key)]))
                continue
            try:
                cases = bad_values(job, key, typ)
            except KeyError as e:
                failures.append(str(e))
                continue
            runs = []
            for case, value in cases.items():
                cfg = json.loads(json.dumps(BASE[job]))
                set_key(cfg, key, value)
                strict = case == "range" and OVERRIDES.get((job, key), {}).get("strict")
                runs.append((case + (" --strict" if strict else ""), cfg,
                             ("--strict",) if strict else ()))
            if req.startswith("yes") and (key in BASE[job] or "[]." in key):
                cfg = json.loads(json.dumps(BASE[job]))
                drop_key(cfg, key)
                runs.append(("missing", cfg, ()))
            if req == "together" and key in BASE[job]:
                cfg = json.loads(json.dumps(BASE[job]))
                drop_key(cfg, key)
                runs.append(("missing (needs its pair)", cfg, ()))
            if typ.startswith("flag"):
                cfg = json.loads(json.dumps(BASE[job]))
                set_key(cfg, key, "false")
                runs.append(("string flag --strict", cfg, ("--strict",)))
            if not runs:
                skipped.append("%s %s: no bad value for type '%s'" % (job, key, typ))
            check_runs(ws, job, key, runs, rows, failures)
    finally:
        shutil.rmtree(ws.dir, ignore_errors=True)
    for job, key, case, code, ok in rows:
        print("%-17s %-24s %-26s exit %d %s" % (job, key, case, code, "ok" if ok else "FAILED"))
    for s in skipped:
        print("not checked: " + s)
    print("bad config: %d keys of %d jobs, %d runs, %d failed, %d keys not checked" % (
        len({(j, k) for j, k, _, _, _ in rows}), len(BASE), len(rows),
        sum(1 for r in rows if not r[4]), len(skipped)))
    for f in failures:
        print("FAILED " + f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
