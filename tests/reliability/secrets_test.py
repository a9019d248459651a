#!/usr/bin/env python3
"""No secret leaks (docs/reliability.md, "Secrets").

Every secret gdx can be given is set to a recognisable value: the AWS key pair and session
token, the PostgreSQL password in the URI, in PGPASSWORD and in pgpass, the Google client
secret and refresh token (and the access tokens the fake Google server issues), the SFTS
password. Then every job of the binary runs through its successful path and the error paths
the test suite knows (bad object, failed load, unreachable server, authentication failure,
bad config, ...) on moto_server + PostgreSQL, sshd and the fake Google server. Everything
written is searched for every secret: stdout, stderr, log files, JSON reports, sidecars,
batch and copied objects in the bucket, files delivered over SFTP, and PostgreSQL's
statement log (log_statement = all). Expected: 0 occurrences.

usage: secrets_test.py [GDX_BINARY]      (default: build/gdx); prints one line per run.
"""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import support  # noqa: E402

SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAGDXLEAKCANARY01",
    "AWS_SECRET_ACCESS_KEY": "gdxLeakCanarySecretKey/Aws+0123456789",
    "AWS_SESSION_TOKEN": "gdxLeakCanarySessionToken0123456789",
    "pg URI password": "gdxLeakCanaryPgUriPw",
    "PGPASSWORD": "gdxLeakCanaryPgEnvPw",
    "pgpass": "gdxLeakCanaryPgpassPw",
    "Google client secret": "gdxLeakCanaryClientSecret",
    "Google refresh token": "gdxLeakCanaryRefreshToken",
    "Google access token": "fake-at-",  # every token the fake issues starts so
    "sfts_pass": "gdxLeakCanarySftsPw",
}
SITE = "https://www.example.gov.bc.ca/"
SITE2 = "https://other.example.gov.bc.ca/"  # never loaded: every run against it needs a token


def scenario():
    return {"now": "2026-05-20T12:00:00-07:00",
            "oauth": {"clients": [{"client_id": "cid",
                                   "client_secret": SECRETS["Google client secret"]}],
                      "refresh_tokens": [{"token": SECRETS["Google refresh token"],
                                          "client_id": "cid",
                                          "scopes": ["https://www.googleapis.com/auth/"
                                                     "webmasters.readonly",
                                                     "https://www.googleapis.com/auth/"
                                                     "business.manage"]},
                                         {"token": "rt-revoked", "revoked": True}]},
            "search_console": {"sites": {SITE: {"every_day": {"generate": {"count": 3}}},
                                         SITE2: {"every_day": {"generate": {"count": 3}}},
                                         "sc-domain:unverified.example":
                                             {"permission": "none"}},
                               "max_rows_per_day": 50000, "retention_days": 486,
                               "final_lag_days": 2},
            "gbp": {"accounts": [{"name": "accounts/300", "type": "LOCATION_GROUP",
                                  "accountNumber": "300"}],
                    "locations": {"accounts/300": [{"name": "locations/77",
                                                    "title": "North"}]}},
            "faults": []}


class SecretsRun:
    def __init__(self, gdx, work):
        self.gdx, self.work = gdx, work
        self.servers = support.Servers(work)
        self.runs = []  # (job, case, expected exit, Result)
        self.failures = []

    # --- set-up ----------------------------------------------------------------------------
    def start(self):
        s = self.servers
        self.moto = s.moto()
        pg = s.postgres(log_statements=True)  # postgresql://postgres@127.0.0.1:PORT/postgres
        self.pg_port = pg.rsplit(":", 1)[1].split("/")[0]
        self.pg_url = pg.replace("postgres@", "postgres:%s@" % SECRETS["pg URI password"])
        self.dead_port = str(support.free_port())
        self.sftp_port, self.sftp_fp, self.sftp_key, self.sftp_home = s.sshd()
        self.google = s.fake_google(scenario())
        self.s3 = support.s3_client(self.moto)
        self.s3.create_bucket(Bucket="demo-bucket")
        for root, _, files in os.walk(os.path.join(support.SOURCE_DIR, "examples/data/demo-bucket")):
            for name in files:
                path = os.path.join(root, name)
                key = os.path.relpath(path, os.path.join(support.SOURCE_DIR,
                                                         "examples/data/demo-bucket"))
                self.s3.upload_file(path, "demo-bucket", key)
        for d in ("config.d", "ddl", "dml"):
            os.makedirs(os.path.join(self.work, d), exist_ok=True)
        for name in os.listdir(os.path.join(support.SOURCE_DIR, "examples/ddl")):
            shutil.copy(os.path.join(support.SOURCE_DIR, "examples/ddl", name),
                        os.path.join(self.work, "ddl", name))
        for name in os.listdir(os.path.join(support.SOURCE_DIR, "examples/config.d")):
            shutil.copy(os.path.join(support.SOURCE_DIR, "examples/config.d", name),
                        os.path.join(self.work, "config.d", name))
        self.write("secrets/client_secrets.json", json.dumps({"installed": {
            "client_id": "cid", "client_secret": SECRETS["Google client secret"],
            "auth_uri": self.google + "/o/oauth2/v2/auth", "token_uri": self.google + "/token",
            "redirect_uris": ["http://localhost"]}}))

    def write(self, rel, text):
        path = os.path.join(self.work, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def config(self, name, base=None, **changes):
        cfg = {}
        if base:
            with open(os.path.join(self.work, "config.d", base)) as f:
                cfg = json.load(f)
        cfg.update(changes)
        return self.write("config.d/" + name, json.dumps(cfg, indent=2))

    def stored_credentials(self, refresh_token):
        return self.write("secrets/credentials.dat", json.dumps({
            "access_token": None, "client_id": "cid",
            "client_secret": SECRETS["Google client secret"], "refresh_token": refresh_token,
            "token_expiry": None, "token_uri": self.google + "/token", "invalid": False,
            "scopes": ["https://www.googleapis.com/auth/webmasters.readonly"],
            "_class": "OAuth2Credentials", "_module": "oauth2client.client"}))

    def env(self, **extra):
        e = support.base_env({
            "AWS_ACCESS_KEY_ID": SECRETS["AWS_ACCESS_KEY_ID"],
            "AWS_SECRET_ACCESS_KEY": SECRETS["AWS_SECRET_ACCESS_KEY"],
            "AWS_SESSION_TOKEN": SECRETS["AWS_SESSION_TOKEN"],
            "AWS_ENDPOINT_URL": self.moto, "AWS_REGION": "us-east-1",
            "PGPASSWORD": SECRETS["PGPASSWORD"], "pguser": "postgres",
            "pgpass": SECRETS["pgpass"],
            "sfts_user": "root", "sfts_pass": SECRETS["sfts_pass"],
            "GDX_NOW": "2024-02-16T06:00:01", "GDX_TODAY": "2026-05-20",
            "GDX_SEARCHCONSOLE_BASE": self.google,
            "GDX_GBP_ACCOUNTS_BASE": self.google, "GDX_GBP_INFO_BASE": self.google + "/",
            "GDX_GBP_PERF_BASE": self.google,
        })
        e.update(extra)
        return e

    # --- runs ------------------------------------------------------------------------------
    def run(self, job, case, expect, args, warehouse=None, store="s3://", env=None, report=True):
        full = [job] + args
        if job != "sql" and store:
            full += ["--store", store]
        if warehouse is not False:
            full += ["--warehouse", warehouse or self.pg_url]
        full += ["--log-dir", os.path.join(self.work, "logs")]
        if report and job not in ("sql", "derived-table"):
            full += ["--report-json", os.path.join(self.work, "reports",
                                                   "%s-%d.json" % (job, len(self.runs)))]
        os.makedirs(os.path.join(self.work, "reports"), exist_ok=True)
        r = support.run_gdx(self.gdx, full, env or self.env(), self.work)
        self.runs.append((job, case, expect, r))
        if r.code != expect:
            self.failures.append("%s / %s: expected exit %d\n%r" % (job, case, expect, r))
        return r

    def unreachable_pg(self):
        return "postgresql://postgres:%s@127.0.0.1:%s/postgres" % (SECRETS["pg URI password"],
                                                                   self.dead_port)

    def no_such_role(self):
        return "postgresql://nobody:%s@127.0.0.1:%s/postgres" % (SECRETS["pg URI password"],
                                                                 self.pg_port)

    def sql_runs(self):
        self.run("sql", "create tables", 0, ["-f", "ddl/demo.call_centre.sql"])
        self.run("sql", "create cms tables", 0, ["-f", "ddl/demo_cms.sql"])
        self.run("sql", "failing statement", 1, ["-c", "SELECT * FROM demo.no_such_table"])
        self.run("sql", "unreachable server", 1, ["-c", "SELECT 1"],
                 warehouse=self.unreachable_pg())
        self.run("sql", "unknown role", 1, ["-c", "SELECT 1"], warehouse=self.no_such_role())
        self.run("sql", "password from PGPASSWORD", 1, ["-c", "SELECT 1"],
                 warehouse="postgresql://postgres@127.0.0.1:%s/postgres" % self.dead_port)

    def s3_to_redshift_runs(self):
        job, cfg = "s3-to-redshift", "config.d/call_centre_demo.json"
        self.run(job, "two objects loaded", 0, [cfg])
        self.s3.put_object(Bucket="demo-bucket", Key="client/call_centre/calls-20240107.csv",
                           Body=b"id,skillgroup,contactreason,datekey,answered,handletime,"
                                b"waittime,note\n0006,T,r,20240107,1,oops,1,x\n")
        self.run(job, "bad object (sidecar)", 1, [cfg])
        missing = self.config("missing_table.json", "call_centre_demo.json",
                              dbtable="demo.no_such_table")
        self.run(job, "no such table", 2, [missing])
        # A load the database refuses (a CHECK constraint no row meets): the object stays
        # pending and the run fails.
        self.run("sql", "create refusing table", 0, ["-c",
                 "CREATE TABLE demo.refuses (id VARCHAR(10) CHECK (id = 'never'), skillgroup "
                 "VARCHAR(10), contactreason VARCHAR(100), datekey TIMESTAMP, answered BOOLEAN, "
                 "handletime FLOAT, waittime INTEGER, note VARCHAR(20))"])
        refused = self.config("refused.json", "call_centre_demo.json", dbtable="demo.refuses",
                              directory="refused")
        self.s3.copy_object(Bucket="demo-bucket", Key="client/refused/calls-20240105.csv",
                            CopySource="demo-bucket/processed/good/client/call_centre/"
                                       "calls-20240105.csv")
        self.run(job, "failed load (refused)", 1, [refused])
        self.run(job, "unreachable warehouse", 1, [cfg], warehouse=self.unreachable_pg())
        self.run(job, "unknown role", 1, [cfg], warehouse=self.no_such_role())
        bad = self.config("bad_columns.json", "call_centre_demo.json", column_count=99)
        self.run(job, "bad config", 2, [bad])
        nobucket = self.config("no_bucket.json", "call_centre_demo.json", bucket="no-such-bucket")
        self.run(job, "no such bucket", 2, [nobucket])  # a mistaken setting: exit 2
        dead_s3 = self.env(AWS_ENDPOINT_URL="http://127.0.0.1:" + self.dead_port)
        self.run(job, "unreachable S3", 1, [cfg], env=dead_s3)

    def cmslite_runs(self):
        job, cfg = "cmslite-metadata", "config.d/cmslite_demo.json"
        self.run(job, "loaded", 0, [cfg])
        nosql = self.config("cms_nosql.json", "cmslite_demo.json", sql_query="missing.sql",
                            directory="cmslite")
        self.s3.copy_object(Bucket="demo-bucket",
                            Key="client/cmslite/cmslite_metadata_20210603.csv",
                            CopySource="demo-bucket/client/cmslite/cmslite_metadata_20210602.csv")
        self.run(job, "post-load SQL missing", 2, [nosql])
        self.run(job, "unreachable warehouse", 1, [cfg], warehouse=self.unreachable_pg())

    def derived_table_runs(self):
        job = "derived-table"
        self.write("dml/dt.sql", "BEGIN; DROP TABLE IF EXISTS {schema}.{dbtable}; CREATE TABLE "
                   "{schema}.{dbtable} AS SELECT skillgroup, count(*) AS n FROM "
                   "demo.call_centre GROUP BY 1; COMMIT;")
        self.write("dml/broken.sql", "BEGIN; DROP TABLE IF EXISTS {schema}.{dbtable}; CREATE "
                   "TABLE {schema}.{dbtable} AS SELECT * FROM demo.no_such_table; COMMIT;")
        ok = self.config("dt.json", schema="demo", dbtable="dt", dml="dt.sql")
        broken = self.config("dt_broken.json", schema="demo", dbtable="dt", dml="broken.sql")
        self.run(job, "rebuilt", 0, [ok], store=None)
        self.run(job, "failing DML", 1, [broken], store=None)
        self.run(job, "unreachable warehouse", 1, [ok], store=None,
                 warehouse=self.unreachable_pg())

    def redshift_to_s3_runs(self):
        job = "redshift-to-s3"
        self.write("dml/export.sql", "SELECT id, skillgroup FROM demo.call_centre ORDER BY id")
        self.write("dml/export_broken.sql", "SELECT * FROM demo.no_such_table")
        base = dict(bucket="demo-bucket", storage="client", archive="processed",
                    directory="export/all", object_prefix="calls", header=True,
                    extension=".csv", delimiter=",")
        ok = self.config("export.json", dml="export.sql", **base)
        broken = self.config("export_broken.json", dml="export_broken.sql", **base)
        self.run(job, "exported", 0, [ok])
        self.run(job, "failing DML", 1, [broken])
        self.run(job, "unreachable warehouse", 1, [ok], warehouse=self.unreachable_pg())

    def s3_to_sfts_runs(self):
        job = "s3-to-sfts"
        os.makedirs(os.path.join(self.sftp_home, "in"), exist_ok=True)
        self.s3.put_object(Bucket="demo-bucket", Key="client/sfts/out/pmrp_1", Body=b"a,b\n1,2\n")
        base = dict(bucket="demo-bucket", source="client", source_client="sfts",
                    source_directory="out", archive="processed", archive_client="sfts",
                    archive_directory="out", object_prefix="pmrp", sfts_path="in",
                    sfts_path_is_absolute=False, sfts_host="127.0.0.1",
                    sfts_port=int(self.sftp_port), sfts_host_key_sha256=self.sftp_fp,
                    lock_dir=os.path.join(self.work, "locks"))
        cfg = self.config("sfts.json", **base)
        self.run(job, "password refused (auth failure)", 1, [cfg], warehouse=False)
        dead = self.config("sfts_dead.json", **dict(base, sfts_port=int(self.dead_port)))
        self.run(job, "unreachable server", 1, [dead], warehouse=False)
        wrong_key = self.config("sfts_wrong_key.json",
                                **dict(base, sfts_host_key_sha256="SHA256:" + "A" * 43))
        self.run(job, "host key mismatch", 1, [wrong_key, "--identity", self.sftp_key],
                 warehouse=False)
        self.run(job, "delivered", 0, [cfg, "--identity", self.sftp_key], warehouse=False)

    def google_runs(self):
        job = "google-search"
        self.run("sql", "create search table", 0, ["-c",
                 "CREATE SCHEMA IF NOT EXISTS google; CREATE TABLE IF NOT EXISTS "
                 "google.googlesearch (site VARCHAR(255), date DATE, query VARCHAR(2048), "
                 "country VARCHAR(255), device VARCHAR(255), page VARCHAR(2047), position FLOAT, "
                 "clicks INTEGER, ctr FLOAT, impressions INTEGER)"])
        self.write("dml/search_dt.sql", "SELECT 1")
        base = dict(bucket="demo-bucket", source="client", directory="google",
                    dbtable="google.googlesearch", dml="search_dt.sql",
                    sites=[{"name": SITE, "start_date_default": "2026-05-10"}])
        cfg = self.config("search.json", **base)
        files = ["--client-secrets", os.path.join(self.work, "secrets/client_secrets.json"),
                 "--credentials", os.path.join(self.work, "secrets/credentials.dat")]
        self.stored_credentials(SECRETS["Google refresh token"])
        self.run(job, "loaded", 0, [cfg] + files)
        unverified = self.config("search_unverified.json", **dict(
            base, sites=[{"name": "sc-domain:unverified.example",
                          "start_date_default": "2026-05-10"}]))
        self.run(job, "site without permission", 0, [unverified] + files)
        other = self.config("search_other.json", **dict(
            base, sites=[{"name": SITE2, "start_date_default": "2026-05-10"}]))
        self.stored_credentials("rt-revoked")
        self.run(job, "revoked refresh token", 1, [other] + files)
        self.stored_credentials(SECRETS["Google refresh token"])
        self.run(job, "unreachable token server", 1, [other] + files,
                 env=self.env(GDX_TOKEN_URI="http://127.0.0.1:%s/token" % self.dead_port))
        self.run(job, "unreachable warehouse", 1, [other] + files,
                 warehouse=self.unreachable_pg())

    def google_business_runs(self):
        job = "google-business"
        self.run("sql", "create business table", 0, ["-c",
                 "CREATE TABLE IF NOT EXISTS google.business (date DATE, client VARCHAR(255), "
                 "location VARCHAR(255), location_id VARCHAR(255), call_clicks INTEGER)"])
        self.write("dml/business_dt.sql", "SELECT 1")
        cfg = self.config("business.json", bucket="demo-bucket", source="client",
                          directory="gmb", dbtable="google.business", metrics=["CALL_CLICKS"],
                          locations=[{"client_shortname": "north", "name": "North", "id": "300",
                                      "start_date": "2026-05-01", "end_date": ""}])
        files = ["--client-secrets", os.path.join(self.work, "secrets/client_secrets.json"),
                 "--credentials", os.path.join(self.work, "secrets/credentials.dat")]
        self.stored_credentials("rt-revoked")
        self.run(job, "revoked refresh token", 1, [cfg] + files)
        self.stored_credentials(SECRETS["Google refresh token"])
        self.run(job, "unreachable token server", 1, [cfg] + files,
                 env=self.env(GDX_TOKEN_URI="http://127.0.0.1:%s/token" % self.dead_port))
        self.run(job, "unreachable API", 1, [cfg] + files,
                 env=self.env(GDX_GBP_ACCOUNTS_BASE="http://127.0.0.1:" + self.dead_port))
        self.run(job, "loaded", 0, [cfg] + files)

    # --- the search ------------------------------------------------------------------------
    def written(self):
        """(where, bytes) of everything gdx wrote."""
        out = []
        for job, case, _, r in self.runs:
            out.append(("%s / %s: stdout" % (job, case), r.out.encode()))
            out.append(("%s / %s: stderr" % (job, case), r.err.encode()))
        # The secret files handed to gdx (and the credential store it refreshes) hold secrets
        # by design; everything else in the working directory is gdx's output or the test's
        # secret-free configs, DDL and DML.
        for rel, data in support.tree_bytes(self.work, skip={
                "secrets/client_secrets.json", "secrets/credentials.dat",
                "google-scenario.json"}).items():
            if rel.endswith(".log") and not rel.startswith("logs/"):
                continue  # the servers' own logs (moto, sshd, fake Google)
            out.append(("file " + rel, data))
        for bucket in [b["Name"] for b in self.s3.list_buckets()["Buckets"]]:
            for key, data in support.all_objects(self.s3, bucket).items():
                out.append(("s3://%s/%s" % (bucket, key), data))
        for rel, data in support.tree_bytes(self.sftp_home).items():
            out.append(("sftp " + rel, data))
        out.append(("PostgreSQL statement log", self.servers.pg_log()))
        return out

    def check(self):
        written = self.written()
        leaks = []
        for where, data in written:
            for name, value in SECRETS.items():
                if value.encode() in data:
                    leaks.append("%s: %s" % (where, name))
        # The search must see what it claims to: the statement log has the runs' SQL.
        if b"demo.call_centre" not in self.servers.pg_log():
            self.failures.append("the PostgreSQL statement log does not show the runs' SQL")
        return written, leaks


def main():
    gdx = support.gdx_binary(sys.argv)
    work = tempfile.mkdtemp(prefix="gdx-secrets-")
    t = SecretsRun(gdx, work)
    try:
        t.start()
        for part in (t.sql_runs, t.s3_to_redshift_runs, t.cmslite_runs, t.derived_table_runs,
                     t.redshift_to_s3_runs, t.s3_to_sfts_runs, t.google_runs,
                     t.google_business_runs):
            part()
        written, leaks = t.check()
    finally:
        t.servers.stop()
    for job, case, expect, r in t.runs:
        print("%-17s %-34s exit %d (expected %d)" % (job, case, r.code, expect))
    jobs = sorted({job for job, _, _, _ in t.runs})
    print("secrets: %d values, %d runs of %d jobs, %d outputs searched (%d bytes): %d occurrences"
          % (len(SECRETS), len(t.runs), len(jobs), len(written),
             sum(len(d) for _, d in written), len(leaks)))
    for leak in leaks:
        print("LEAK " + leak)
    for failure in t.failures:
        print("FAILED " + failure)
    if leaks or t.failures:
        print("kept for inspection: " + work)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
