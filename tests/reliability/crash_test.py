#!/usr/bin/env python3
"""The crash matrix (docs/reliability.md, "Crash matrix").

For every job's crash step (GDX_TEST_CRASH_AT, docs/reliability.md#crash-steps) and on both
backend pairs (a directory + SQLite, moto_server + PostgreSQL): seed a few objects (one bad),
run gdx with the step (it must die by SIGKILL), re-run it to completion, run it a third time
(nothing left to do), and check what a data engineer would: every object loaded exactly once
(the rows in the table, the ledger, what the post-load SQL counts), exactly one good or bad
copy per object (and a sidecar per bad one), the sources untouched, no stray batch object and
no temp file or unfinished upload, and for tables a job replaces: never empty for a reader,
sampled between the runs and by a reader polling the table while they run.

usage: crash_test.py [GDX_BINARY] [--short] [--only JOB,...] [--steps STEP,...]
  --short   a few steps of s3-to-redshift (what ctest runs in the normal suite)
Prints one markdown table row per (job, step): the outcome on each backend pair.
PostgreSQL and moto: GDX_TEST_PG_URL / GDX_TEST_MOTO_URL when set, else servers of its own.

A job adds its crash steps in one row of MATRIX (at the bottom); a new kind of job adds a
scenario class (set-up, the objects of each phase, what must hold after the runs).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import support  # noqa: E402

SIGKILL_EXIT = -9
OK = "0 lost, 0 doubled"


class Failed(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failed(what)


# --- backend pairs -------------------------------------------------------------------------

class DirSqlite:
    name = "dir+SQLite"

    def __init__(self, work, case_id):
        self.root = os.path.join(work, "store")
        self.bucket = "bkt"
        os.makedirs(os.path.join(self.root, self.bucket), exist_ok=True)
        self.store = "file:" + self.root
        self.warehouse = "sqlite:" + os.path.join(work, "gdx.db")
        self.schema = "crash"
        self.clock = 1_700_000_000

    def env(self):
        return {}

    def put(self, key, data, newer=False):
        path = os.path.join(self.root, self.bucket, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        self.clock += 60  # selection orders by last-modified
        os.utime(path, (self.clock, self.clock))

    def objects(self):
        """{key: bytes}, temp files included (they are what must not be left)."""
        return support.tree_bytes(os.path.join(self.root, self.bucket))

    def leftovers(self):
        return sorted(k for k in self.objects() if ".gdx-tmp-" in k)

    def finish(self):
        pass


class S3Postgres:
    name = "S3+PostgreSQL"

    def __init__(self, work, case_id, moto, pg):
        self.s3 = support.s3_client(moto)
        self.moto = moto
        self.bucket = "crash-%d" % case_id
        self.s3.create_bucket(Bucket=self.bucket)
        self.store = "s3://"
        self.warehouse = pg
        self.schema = "crash%d" % case_id
        self.last_put = 0.0

    def env(self):
        return {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s",
                "AWS_ENDPOINT_URL": self.moto, "AWS_REGION": "us-east-1"}

    def put(self, key, data, newer=False):
        """newer: its LastModified (one second resolution) must be later than the last put's;
        otherwise the selection orders objects of the same second by key."""
        if newer and int(time.time()) == int(self.last_put):
            time.sleep(1.02 - time.time() % 1)
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)
        self.last_put = time.time()

    def objects(self):
        return support.all_objects(self.s3, self.bucket)

    def leftovers(self):
        ups = self.s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])
        return sorted("unfinished upload " + u["Key"] for u in ups)

    def finish(self):
        for key in self.objects():
            self.s3.delete_object(Bucket=self.bucket, Key=key)
        self.s3.delete_bucket(Bucket=self.bucket)


# --- one case: a job, a step, a backend pair -----------------------------------------------

class Case:
    def __init__(self, gdx, work, backend):
        self.gdx, self.work, self.b = gdx, work, backend
        self.concurrent_samples = 0  # reads of replaced tables while the runs went on

    def env(self, extra=None):
        e = support.base_env(self.b.env())
        e.update(extra or {})
        return e

    def write(self, rel, text):
        path = os.path.join(self.work, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def gdx_run(self, args, extra_env=None, store=True, warehouse=True):
        full = list(args)
        if store:
            full += ["--store", self.b.store]
        if warehouse:
            full += ["--warehouse", self.b.warehouse]
        full += ["--log-dir", os.path.join(self.work, "logs")]
        return support.run_gdx(self.gdx, full, self.env(extra_env), self.work)

    def sql(self, text):
        r = self.gdx_run(["sql", "--json", "-c", text], store=False)
        if r.code != 0:
            raise Failed("sql failed: %r" % r)
        return [json.loads(line) for line in r.out.splitlines() if line.strip()]

    def count(self, table, where=""):
        return int(self.sql("SELECT COUNT(*) AS n FROM %s %s" % (table, where))[0]["n"])

    def ledger(self):
        rows = self.sql("SELECT key, rows FROM gdx_ledger WHERE bucket = '%s'" % self.b.bucket)
        keys = [r["key"] for r in rows]
        expect(len(keys) == len(set(keys)), "ledger rows doubled: %s" % keys)
        return {r["key"]: int(r["rows"]) for r in rows}


class Sampler:
    """Polls the replaced tables while runs go on (a reader of the warehouse): any sample that
    sees an empty table is a failure. Samples that fail (a busy database) do not count."""

    def __init__(self, case, tables):
        self.case, self.tables = case, tables
        self.seen, self.empty = 0, []
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def loop(self):
        while not self.stop_flag.is_set():
            for t in self.tables:
                try:
                    n = self.case.count(t)
                except Failed:
                    continue
                self.seen += 1
                if n == 0:
                    self.empty.append(t)
            self.stop_flag.wait(0.05)

    def __enter__(self):
        if self.tables:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        if self.tables:
            self.thread.join()


# --- scenarios -------------------------------------------------------------------------------

def csv_rows(ids, bad_at=None):
    lines = ["id,name"]
    for i, n in enumerate(ids):
        lines.append("%s,name%s" % ("not-a-number" if i == bad_at else n, n))
    return ("\n".join(lines) + "\n").encode()


class LoaderScenario:
    """s3-to-redshift-like jobs: objects under client/<dir>/, copies under processed/."""
    job = None
    directory = "dir"
    replaced = []  # tables the job replaces: never empty for a reader
    newest_only = False  # the job takes the newest object: each put must be newer

    def __init__(self, case):
        self.c = case
        self.sources = {}      # key -> bytes put by the test
        self.loaded = set()    # keys that must end in the ledger and good/
        self.bad = set()       # keys that must end in bad/

    def key(self, name):
        return "client/%s/%s" % (self.directory, name)

    def put(self, name, data, good):
        k = self.key(name)
        self.c.b.put(k, data, newer=self.newest_only)
        self.sources[k] = data
        (self.loaded if good else self.bad).add(k)

    def run(self, extra_env=None):
        return self.c.gdx_run([self.job, self.config, "--keep-going"], extra_env)

    def check_objects(self, batch_keys):
        objs = self.c.b.objects()
        leftovers = self.c.b.leftovers()
        expect(not leftovers, "temp objects left: %s" % leftovers)
        for k, data in self.sources.items():
            expect(objs.get(k) == data, "source %s changed or missing" % k)
        good = {k[len("processed/good/"):] for k in objs if k.startswith("processed/good/")}
        bad = {k[len("processed/bad/"):] for k in objs
               if k.startswith("processed/bad/") and not k.endswith(".error.json")}
        sidecars = {k[len("processed/bad/"):-len(".error.json")] for k in objs
                    if k.startswith("processed/bad/") and k.endswith(".error.json")}
        expect(good == self.loaded, "good copies %s, expected %s" % (sorted(good),
                                                                     sorted(self.loaded)))
        expect(bad == self.bad, "bad copies %s, expected %s" % (sorted(bad), sorted(self.bad)))
        expect(sidecars == self.bad, "sidecars %s, expected %s" % (sorted(sidecars),
                                                                   sorted(self.bad)))
        for k in good:
            expect(objs["processed/good/" + k] == self.sources[k], "good copy of %s differs" % k)
        batches = {k for k in objs if k.startswith("processed/batch/")}
        allowed = {b for k in self.loaded | self.bad for b in batch_keys(k)}
        needed = {b for k in self.loaded for b in batch_keys(k)}
        expect(batches <= allowed, "stray batch objects: %s" % sorted(batches - allowed))
        expect(needed <= batches, "batch objects missing: %s" % sorted(needed - batches))
        other = set(objs) - set(self.sources) - batches - {
            k for k in objs if k.startswith(("processed/good/", "processed/bad/"))}
        expect(not other, "unexpected objects: %s" % sorted(other))
        ledger = self.c.ledger()
        expect(set(ledger) == self.loaded, "ledger %s, expected %s" % (sorted(ledger),
                                                                       sorted(self.loaded)))
        return ledger


class AppendLoad(LoaderScenario):
    """s3-to-redshift, append: a.csv, b.csv, c_bad.csv (a value the integer column refuses),
    d.csv; post-load SQL of two statements counting each load in an audit table."""
    job = "s3-to-redshift"

    def setup(self):
        s = self.c.b.schema
        self.table = s + ".events"
        self.c.sql("CREATE SCHEMA IF NOT EXISTS %s; CREATE TABLE %s.events (id INTEGER, name "
                   "VARCHAR(20)); CREATE TABLE %s.audit (n INTEGER)" % (s, s, s))
        self.c.write("post.sql", "INSERT INTO %s.audit VALUES (1);\nINSERT INTO %s.audit "
                     "VALUES (2);\n" % (s, s))
        self.config = self.c.write("config.json", json.dumps(dict(
            bucket=self.c.b.bucket, source="client", destination="processed",
            directory=self.directory, doc=r".*\.csv", dbtable=self.table,
            columns=["id", "name"], column_count=2, dtype_dic_ints=["id"], delim=",",
            truncate=False, ldb_sku=True, sql_query="post.sql")))

    def phases(self):
        def seed():
            self.put("a.csv", csv_rows([1, 2]), True)
            self.put("b.csv", csv_rows([3, 4]), True)
            self.put("c_bad.csv", csv_rows([5, 6], bad_at=1), False)
            self.put("d.csv", csv_rows([7, 8]), True)
        return [seed]

    def check(self):
        ledger = self.check_objects(lambda k: ["processed/batch/" + k])
        ids = [r["id"] for r in self.c.sql("SELECT id FROM %s" % self.table)]
        expect(sorted(ids) == [1, 2, 3, 4, 7, 8], "rows in the table: %s" % sorted(ids))
        expect(all(n == 2 for n in ledger.values()), "ledger row counts %s" % ledger)
        audit = self.c.count(self.c.b.schema + ".audit")
        expect(audit == 2 * len(self.loaded), "post-load SQL ran %d times for %d loads"
               % (audit // 2, len(self.loaded)))


class MultipartLoad(AppendLoad):
    """s3-to-redshift on S3 with an object larger than an upload part (S3's 5 MiB minimum): its
    batch goes up as a multipart upload, which a killed writer leaves unfinished."""
    only_on = S3Postgres.name

    def phases(self):
        def seed():
            self.put("a.csv", csv_rows(range(0, 450000)), True)  # 7.5 MB: two parts
            self.put("b.csv", csv_rows(range(450000, 450010)), True)
        return [seed]

    def run(self, extra_env=None):  # every run: parts of S3's minimum size
        return super().run(dict(extra_env or {}, GDX_S3_PART_SIZE=str(5 << 20)))

    def check(self):
        self.check_objects(lambda k: ["processed/batch/" + k])
        n = self.c.count(self.table)
        distinct = int(self.c.sql("SELECT COUNT(DISTINCT id) AS n FROM %s" % self.table)[0]["n"])
        expect(n == 450010 and distinct == n, "%d rows, %d distinct ids, expected 450010"
               % (n, distinct))


class ReplaceLoad(LoaderScenario):
    """s3-to-redshift, truncate: the table holds old.csv; new.csv replaces it, then a newer
    bad object must leave it as it is."""
    job = "s3-to-redshift"
    newest_only = True

    def setup(self):
        s = self.c.b.schema
        self.table = s + ".latest"
        self.replaced = [self.table]
        self.c.sql("CREATE SCHEMA IF NOT EXISTS %s; CREATE TABLE %s.latest (id INTEGER, name "
                   "VARCHAR(20))" % (s, s))
        self.config = self.c.write("config.json", json.dumps(dict(
            bucket=self.c.b.bucket, source="client", destination="processed",
            directory=self.directory, doc=r".*\.csv", dbtable=self.table,
            columns=["id", "name"], column_count=2, dtype_dic_ints=["id"], delim=",",
            truncate=True)))
        self.put("a_old.csv", csv_rows([100, 101]), True)
        r = self.run()
        expect(r.code == 0, "set-up load failed: %r" % r)
        self.expected_ids = [100, 101]

    def phases(self):
        def good():
            self.put("b_new.csv", csv_rows([200, 201, 202]), True)
            self.expected_ids = [200, 201, 202]

        def bad():
            self.put("c_bad.csv", csv_rows([300, 301], bad_at=1), False)
        return [good, bad]

    def check(self):
        self.check_objects(lambda k: ["processed/batch/" + k])
        ids = sorted(r["id"] for r in self.c.sql("SELECT id FROM %s" % self.table))
        expect(ids == self.expected_ids, "rows in the table: %s, expected %s"
               % (ids, self.expected_ids))


CMS_HEADER = ("node_id,parent_node_id,title,page_type,modified_date,content_types,"
              "dcterms_languages,dcterms_creator\n")


def cms_object(nodes, bad_date=False):
    lines = [CMS_HEADER]
    for i, n in enumerate(nodes):
        date = "yesterday" if bad_date and i == len(nodes) - 1 else "2021-05-13 10:11:12"
        parent = "" if i == 0 else nodes[0]
        lines.append("%s,%s,Title %s,PAGE,%s,|Guide|Form|,|English|,|Ministry A|\n"
                     % (n, parent, n, date))
    return "".join(lines).encode()


class CmsliteReplace(LoaderScenario):
    """cmslite-metadata: seven tables replaced in one transaction with the post-load SQL (two
    statements: an UPDATE and an audit row) and the microservice_log row."""
    job = "cmslite-metadata"
    directory = "cmslite"
    newest_only = True

    def setup(self):
        s = self.c.b.schema
        with open(os.path.join(support.SOURCE_DIR, "examples/ddl/demo_cms.sql")) as f:
            ddl = f.read().replace("demo_cms", s)
        self.c.sql(ddl + "\nCREATE TABLE %s.audit (n INTEGER);" % s)
        self.c.write("ddl/post.sql", "UPDATE {dbschema}.metadata SET folder_name = 'root' WHERE "
                     "parent_node_id = '';\nINSERT INTO {dbschema}.audit VALUES (1);\n")
        with open(os.path.join(support.SOURCE_DIR, "examples/config.d/cmslite_demo.json")) as f:
            cfg = json.load(f)
        cfg.update(bucket=self.c.b.bucket, dbschema=s, sql_query="post.sql",
                   doc=r"cms_.*\.csv")
        self.config = self.c.write("cmslite.json", json.dumps(cfg))
        self.replaced = [s + "." + t for t in ("metadata", "content_types", "metadata_creators")]
        self.put("cms_1.csv", cms_object(["N1", "N2", "N3"]), True)
        r = self.run()
        expect(r.code == 0, "set-up load failed: %r" % r)
        self.expected_nodes = ["N1", "N2", "N3"]

    def phases(self):
        def good():
            self.put("cms_2.csv", cms_object(["M1", "M2"]), True)
            self.expected_nodes = ["M1", "M2"]

        def bad():
            self.put("cms_3.csv", cms_object(["X1", "X2"], bad_date=True), False)
        return [good, bad]

    def check(self):
        tables = ["metadata", "content_types", "languages", "creators", "metadata_content_types",
                  "metadata_languages", "metadata_creators"]
        self.check_objects(lambda k: ["processed/batch/%s/%s" % (k, t) for t in tables])
        s = self.c.b.schema
        nodes = sorted(r["node_id"] for r in self.c.sql("SELECT node_id FROM %s.metadata" % s))
        expect(nodes == self.expected_nodes, "metadata: %s, expected %s"
               % (nodes, self.expected_nodes))
        links = self.c.count(s + ".metadata_content_types")
        expect(links == 2 * len(self.expected_nodes), "metadata_content_types: %d rows" % links)
        loads = len(self.loaded)
        for t in ("audit", "microservice_log"):
            n = self.c.count("%s.%s" % (s, t))
            expect(n == loads, "%s has %d rows for %d loads" % (t, n, loads))


class Export:
    """redshift-to-s3: each run exports the table (a new object per run, named by the run's
    clock) and hands every pending export to the client folder with a good marker."""
    job = "redshift-to-s3"
    replaced = []

    def __init__(self, case):
        self.c = case
        self.runs = 0

    def setup(self):
        s = self.c.b.schema
        self.c.sql("CREATE SCHEMA IF NOT EXISTS %s; CREATE TABLE %s.src (id INTEGER); INSERT "
                   "INTO %s.src VALUES (1), (2), (3)" % (s, s, s))
        self.c.write("dml/export.sql", "SELECT id FROM %s.src ORDER BY id" % s)
        self.config = self.c.write("export.json", json.dumps(dict(
            bucket=self.c.b.bucket, storage="client", archive="processed", directory="export",
            object_prefix="rows", dml="export.sql", header=True, extension=".csv",
            delimiter=",")))

    def phases(self):
        return [lambda: None]

    def run(self, extra_env=None):
        self.runs += 1  # a later run is a later time: its export is a new object
        env = dict(extra_env or {}, GDX_NOW="2024-02-16T06:%02d:00" % self.runs)
        return self.c.gdx_run([self.job, self.config], env)

    def check(self):
        objs = self.c.b.objects()
        leftovers = self.c.b.leftovers()
        expect(not leftovers, "temp objects left: %s" % leftovers)
        batch = {k[len("processed/batch/"):]: v for k, v in objs.items()
                 if k.startswith("processed/batch/")}
        expect(batch, "no export object")
        for name, data in batch.items():
            values = data.decode().replace('"', "").split()
            expect(values == ["id", "1", "2", "3"], "export %s holds %r" % (name, data))
            expect(objs.get(name + ".csv") == data, "client copy of %s missing or different"
                   % name)
            expect("processed/good/" + name in objs, "good marker of %s missing" % name)
        expected = ({"processed/batch/" + n for n in batch} | {n + ".csv" for n in batch}
                    | {"processed/good/" + n for n in batch})
        expect(set(objs) == expected, "unexpected objects: %s" % sorted(set(objs) - expected))


class DerivedTable:
    """derived-table: the DML drops and re-creates the table in one transaction."""
    job = "derived-table"

    def __init__(self, case):
        self.c = case

    def setup(self):
        s = self.c.b.schema
        self.replaced = [s + ".dt"]
        self.c.sql("CREATE SCHEMA IF NOT EXISTS %s; CREATE TABLE %s.src (id INTEGER); INSERT "
                   "INTO %s.src VALUES (1), (2), (3)" % (s, s, s))
        self.c.write("dml/dt.sql", "BEGIN;\nDROP TABLE IF EXISTS {schema}.{dbtable};\nCREATE "
                     "TABLE {schema}.{dbtable} AS SELECT id FROM %s.src;\nCOMMIT;\n" % s)
        self.config = self.c.write("dt.json", json.dumps(dict(schema=s, dbtable="dt",
                                                              dml="dt.sql")))
        r = self.run()
        expect(r.code == 0, "set-up build failed: %r" % r)

    def phases(self):
        return [lambda: self.c.sql("INSERT INTO %s.src VALUES (4)" % self.c.b.schema)]

    def run(self, extra_env=None):
        return self.c.gdx_run([self.job, self.config], extra_env, store=False)

    def check(self):
        ids = sorted(r["id"] for r in self.c.sql("SELECT id FROM %s.dt" % self.c.b.schema))
        expect(ids == [1, 2, 3, 4], "derived table: %s" % ids)


class Delivery:
    """s3-to-sfts: three objects (one larger than the 2 MiB upload buffer, so that mid_upload is
    mid-file) delivered over SFTP (sshd on loopback). Each file must be on the server once, with
    the object's bytes and no .part file; each object marked good once; no journal left. (No
    warehouse: the pair's database is not used.)"""
    job = "s3-to-sfts"
    replaced = []

    def __init__(self, case):
        self.c = case

    def setup(self):
        port, fingerprint, self.key, home = sshd()
        self.remote = "in-%s" % os.path.basename(self.c.work)
        self.remote_dir = os.path.join(home, self.remote)
        os.makedirs(self.remote_dir)
        self.sources = {}
        self.config = self.c.write("sfts.json", json.dumps(dict(
            bucket=self.c.b.bucket, source="client", source_client="sfts",
            source_directory="out", archive="processed", archive_client="sfts",
            archive_directory="out", object_prefix="pmrp", sfts_path=self.remote,
            sfts_path_is_absolute=False, sfts_host="127.0.0.1", sfts_port=port,
            sfts_host_key_sha256=fingerprint, lock_dir=os.path.join(self.c.work, "locks"))))

    def phases(self):
        def seed():
            for name, size in (("pmrp_1", 3_000_000), ("pmrp_2", 1000), ("pmrp_3", 10)):
                data = (name.encode() + b",x\n") * (size // 9 + 1)
                self.c.b.put("client/sfts/out/" + name, data)
                self.sources[name] = data
        return [seed]

    def run(self, extra_env=None):
        env = dict(extra_env or {}, sfts_user="root")
        return self.c.gdx_run([self.job, self.config, "--identity", self.key], env,
                              warehouse=False)

    def check(self):
        objs = self.c.b.objects()
        leftovers = self.c.b.leftovers()
        expect(not leftovers, "temp objects left: %s" % leftovers)
        files = sorted(os.listdir(self.remote_dir))
        expect(len(files) == len(self.sources) and not any(f.endswith(".part") for f in files),
               "files on the server: %s" % files)
        for name, data in self.sources.items():
            matching = [f for f in files if f.startswith(name)]
            expect(len(matching) == 1, "%s on the server as %s" % (name, matching))
            with open(os.path.join(self.remote_dir, matching[0]), "rb") as f:
                expect(f.read() == data, "%s on the server differs from the object" % name)
        expected = ({"client/sfts/out/" + n for n in self.sources}
                    | {"processed/good/client/sfts/out/" + n for n in self.sources})
        expect(set(objs) == expected, "objects %s, expected %s (no bad copy, no journal)"
               % (sorted(set(objs) ^ expected), sorted(expected)))


SSHD = None


def sshd():
    """sshd on loopback (key login), started by the first case that needs it."""
    global SSHD
    if SSHD is None:
        SSHD = SERVERS.sshd()
    return SSHD


SITE = "https://www.example.gov.bc.ca/"
SEARCH_SCOPE = "https://www.googleapis.com/auth/webmasters.readonly"
BUSINESS_SCOPE = "https://www.googleapis.com/auth/business.manage"


def google_scenario():
    """The fake Google server's world (tests/fakes/fake_google.py): one site with three rows a
    day, final two days after the day."""
    return {"now": "2026-05-20T12:00:00-07:00",
            "oauth": {"clients": [{"client_id": "cid", "client_secret": "cs"}],
                      "refresh_tokens": [{"token": "rt", "client_id": "cid",
                                          "scopes": [SEARCH_SCOPE, BUSINESS_SCOPE]}]},
            "search_console": {"sites": {SITE: {"every_day": {"generate": {"count": 3}}}},
                               "max_rows_per_day": 50000, "retention_days": 486,
                               "final_lag_days": 2},
            "gbp": {"accounts": [{"name": "accounts/300", "type": "LOCATION_GROUP",
                                  "accountNumber": "300"}],
                    "locations": {"accounts/300": [{"name": "locations/77",
                                                    "title": "North"}]}},
            "faults": []}


class GoogleSearch:
    """google-search: the crash run fetches 2026-05-10 .. the last final day into an object and
    loads it; the next runs happen a day later (the nightly retry), so their window is longer
    and their object has another name. Every day must be in the table exactly once, and every
    object the job stored must end loaded (ledger + good copy) or be gone."""
    job = "google-search"
    replaced = []
    days = ["2026-05-20", "2026-05-21", "2026-05-21"]  # GDX_TODAY of the three runs

    def __init__(self, case):
        self.c = case
        self.runs = 0

    def write_credentials(self):
        google = google_url()
        self.c.write("secrets/client_secrets.json", json.dumps({"installed": {
            "client_id": "cid", "client_secret": "cs", "auth_uri": google + "/o/oauth2/v2/auth",
            "token_uri": google + "/token", "redirect_uris": ["http://localhost"]}}))
        self.c.write("secrets/credentials.dat", json.dumps({
            "access_token": None, "client_id": "cid", "client_secret": "cs",
            "refresh_token": "rt", "token_expiry": None, "token_uri": google + "/token",
            "invalid": False, "scopes": [SEARCH_SCOPE, BUSINESS_SCOPE],
            "_class": "OAuth2Credentials", "_module": "oauth2client.client"}))

    def setup(self):
        s = self.c.b.schema
        self.table = s + ".googlesearch"
        self.c.sql("CREATE SCHEMA IF NOT EXISTS %s; CREATE TABLE %s (site VARCHAR(255), date "
                   "DATE, query VARCHAR(2048), country VARCHAR(255), device VARCHAR(255), page "
                   "VARCHAR(2047), position FLOAT, clicks INTEGER, ctr FLOAT, impressions "
                   "INTEGER)" % (s, self.table))
        self.c.write("dml/search_dt.sql", "SELECT 1")
        self.write_credentials()
        self.config = self.c.write("search.json", json.dumps(dict(
            bucket=self.c.b.bucket, source="client", destination="processed",
            directory="google", dbtable=self.table, dml="search_dt.sql",
            sites=[{"name": SITE, "start_date_default": "2026-05-10"}])))

    def phases(self):
        return [lambda: None]

    def run(self, extra_env=None):
        today = self.days[min(self.runs, len(self.days) - 1)]
        self.runs += 1
        set_google_clock(today + "T12:00:00-07:00")
        g = google_url()
        env = dict(extra_env or {}, GDX_TODAY=today, GDX_SEARCHCONSOLE_BASE=g,
                   GDX_GBP_ACCOUNTS_BASE=g, GDX_GBP_INFO_BASE=g + "/", GDX_GBP_PERF_BASE=g)
        return self.c.gdx_run([self.job, self.config, "--client-secrets",
                               os.path.join(self.c.work, "secrets/client_secrets.json"),
                               "--credentials",
                               os.path.join(self.c.work, "secrets/credentials.dat")], env)

    def check(self):
        self.check_objects()
        rows = self.c.sql("SELECT CAST(date AS VARCHAR(10)) AS d, COUNT(*) AS n FROM %s "
                          "GROUP BY 1 ORDER BY 1" % self.table)
        per_day = {r["d"][:10]: int(r["n"]) for r in rows}
        expected = {"2026-05-%02d" % d: 3 for d in range(10, 20)}  # final on 2026-05-21
        expect(per_day == expected, "rows per day %s, expected 3 for each of 2026-05-10 .. 19"
               % per_day)

    def check_objects(self):
        """Every object the job stored is loaded (ledger) and copied to good; nothing else."""
        objs = self.c.b.objects()
        leftovers = self.c.b.leftovers()
        expect(not leftovers, "temp objects left: %s" % leftovers)
        stored = {k for k in objs if k.startswith("client/")}
        good = {k[len("processed/good/"):] for k in objs if k.startswith("processed/good/")}
        ledger = self.c.ledger()
        expect(stored, "no object stored")
        expect(good == stored, "stored objects %s, good copies %s"
               % (sorted(stored), sorted(good)))
        expect(set(ledger) == stored, "stored objects %s, ledger %s"
               % (sorted(stored), sorted(ledger)))
        batches = {k for k in objs if k.startswith("processed/batch/")}
        expect(batches == {"processed/batch/" + k for k in stored},
               "batch objects %s" % sorted(batches))
        other = set(objs) - stored - batches - {"processed/good/" + k for k in stored}
        expect(not other, "unexpected objects: %s" % sorted(other))


class GoogleBusiness(GoogleSearch):
    """google-business: one location's daily metrics, from 2026-05-01 to three days before
    today; the runs after the crash happen a day later, as for google-search."""
    job = "google-business"

    def setup(self):
        s = self.c.b.schema
        self.table = s + ".business"
        self.c.sql("CREATE SCHEMA IF NOT EXISTS %s; CREATE TABLE %s (date DATE, client "
                   "VARCHAR(255), location VARCHAR(255), location_id VARCHAR(255), call_clicks "
                   "INTEGER)" % (s, self.table))
        self.write_credentials()
        self.config = self.c.write("business.json", json.dumps(dict(
            bucket=self.c.b.bucket, source="client", destination="processed",
            directory="gmb", dbtable=self.table, metrics=["CALL_CLICKS"],
            locations=[{"client_shortname": "north", "name": "North", "id": "300",
                        "start_date": "2026-05-01", "end_date": ""}])))

    def check(self):
        self.check_objects()
        rows = self.c.sql("SELECT CAST(date AS VARCHAR(10)) AS d, COUNT(*) AS n FROM %s "
                          "GROUP BY 1 ORDER BY 1" % self.table)
        days = [r["d"][:10] for r in rows]
        expect(all(int(r["n"]) == 1 for r in rows), "days loaded twice: %s"
               % [r["d"] for r in rows if int(r["n"]) != 1])
        expect(days and days[0] == "2026-05-01" and days[-1] >= "2026-05-17"
               and len(days) == int(days[-1][8:]), "days loaded: %s" % days)


def set_google_clock(now):
    import urllib.request
    req = urllib.request.Request(google_url() + "/__admin/clock", data=json.dumps(
        {"now": now}).encode(), method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=10).read()


GOOGLE_URL = None
SERVERS = None


def google_url():
    """The fake Google server, started by the first case that needs it."""
    global GOOGLE_URL
    if GOOGLE_URL is None:
        GOOGLE_URL = SERVERS.fake_google(google_scenario())
    return GOOGLE_URL

# --- the matrix --------------------------------------------------------------------------------

LOAD_STEPS = ["after_selection", "mid_get", "mid_transform", "after_batch", "before_ledger",
              "after_ledger", "after_commit", "after_good_copy", "before_sidecar",
              "after_sidecar", "after_bad_copy"]

# job label | scenario | crash steps (docs/reliability.md#crash-steps)
MATRIX = [
    # STEP:N dies the N-th time: the 2nd object mid-transform, the object after the bad one
    ("s3-to-redshift", AppendLoad, LOAD_STEPS + ["mid_sql", "mid_transform:2", "after_commit:3"]),
    ("s3-to-redshift (truncate)", ReplaceLoad, LOAD_STEPS),
    ("s3-to-redshift (multipart)", MultipartLoad, ["mid_multipart"]),
    ("cmslite-metadata", CmsliteReplace, LOAD_STEPS + ["mid_sql"]),
    ("redshift-to-s3", Export, ["mid_export", "after_export", "after_client_copy",
                                "after_good_marker"]),
    ("derived-table", DerivedTable, ["mid_sql"]),
    ("s3-to-sfts", Delivery, ["after_download", "mid_upload", "after_upload",
                              "after_ready_journal", "after_rename", "after_mark"]),
    ("google-search", GoogleSearch, ["after_api_object", "mid_get", "mid_transform", "after_batch",
                                     "before_ledger", "after_ledger", "after_commit",
                                     "after_good_copy"]),
    ("google-business", GoogleBusiness, ["after_api_object", "mid_get", "mid_transform",
                                         "after_batch", "before_ledger", "after_ledger",
                                         "after_commit", "after_good_copy"]),
]
SHORT = {"s3-to-redshift": ["after_batch", "after_commit", "after_sidecar"]}


def run_case(scenario_cls, step, backend):
    """One (scenario, step, backend): '0 lost, 0 doubled' or what broke."""
    case = Case(GDX, backend.work, backend)
    sc = scenario_cls(case)
    sc.setup()
    killed = False
    for seed in sc.phases():
        seed()
        replaced = getattr(sc, "replaced", [])
        with Sampler(case, replaced) as sampler:
            r = sc.run({"GDX_TEST_CRASH_AT": step})
            if r.code == SIGKILL_EXIT:
                killed = True
            elif r.code not in (0, 1):
                raise Failed("crash run ended with exit %d, not SIGKILL:\n%r" % (r.code, r))
            for t in replaced:  # a reader between the runs
                expect(case.count(t) > 0, "%s is empty after the crash" % t)
            r = sc.run()
            expect(r.code in (0, 1), "the run after the crash failed:\n%r" % r)
            r = sc.run()
            expect(r.code == 0, "the third run did not finish cleanly:\n%r" % r)
        expect(not sampler.empty, "a reader saw %s empty" % sorted(set(sampler.empty)))
        case.concurrent_samples += sampler.seen
        sc.check()
    expect(killed, "step never reached (no run died by SIGKILL)")
    return case.concurrent_samples


def main(argv):
    global GDX, SERVERS
    args = [a for a in argv[1:]]
    short = "--short" in args
    only = steps = None
    if "--only" in args:
        only = args[args.index("--only") + 1].split(",")
    if "--steps" in args:
        steps = args[args.index("--steps") + 1].split(",")
    positional = [a for i, a in enumerate(args)
                  if not a.startswith("--") and (i == 0 or args[i - 1] not in ("--only",
                                                                              "--steps"))]
    GDX = support.gdx_binary(["x"] + positional[:1])
    work = tempfile.mkdtemp(prefix="gdx-crash-")
    servers = support.Servers(work)
    moto = os.environ.get("GDX_TEST_MOTO_URL") or servers.moto()
    pg = os.environ.get("GDX_TEST_PG_URL") or servers.postgres(log_statements=False)
    SERVERS = servers
    failures = 0
    case_id = int(time.time()) % 100000 * 100
    try:
        print("| job | step | %s | %s |" % (DirSqlite.name, S3Postgres.name))
        print("|---|---|---|---|")
        for label, scenario, job_steps in MATRIX:
            if only and label.split(" ")[0] not in only and label not in only:
                continue
            if short:
                job_steps = [s for s in job_steps if s in SHORT.get(label, [])]
            for step in job_steps:
                if steps and step not in steps:
                    continue
                cells = []
                for name, make in ((DirSqlite.name, lambda w, i: DirSqlite(w, i)),
                                   (S3Postgres.name, lambda w, i: S3Postgres(w, i, moto, pg))):
                    if getattr(scenario, "only_on", name) != name:
                        cells.append("n/a")
                        continue
                    case_id += 1
                    d = os.path.join(work, "case-%d" % case_id)
                    os.makedirs(d)
                    backend = make(d, case_id)
                    backend.work = d
                    start, samples = time.time(), 0
                    try:
                        samples = run_case(scenario, step, backend)
                        cells.append(OK)
                        shutil.rmtree(d, ignore_errors=True)
                    except Failed as e:
                        failures += 1
                        first = str(e).splitlines()[0]
                        cells.append("FAILED: " + first.replace("|", "/"))
                        sys.stderr.write("FAILED %s / %s / %s (kept in %s):\n%s\n\n"
                                         % (label, step, backend.name, d, e))
                    finally:
                        if isinstance(backend, S3Postgres):
                            backend.finish()
                    sys.stderr.write("[%s %s %s: %.1f s, %d concurrent samples]\n"
                                     % (label, step, backend.name, time.time() - start, samples))
                print("| %s | `%s` | %s | %s |" % (label, step, cells[0], cells[1]), flush=True)
    finally:
        servers.stop()
    if failures == 0:
        shutil.rmtree(work, ignore_errors=True)
    else:
        sys.stderr.write("kept for inspection: %s\n" % work)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
