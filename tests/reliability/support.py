"""Shared pieces of the reliability tests (scripts/reliability.sh, docs/reliability.md): the
real servers on loopback (moto_server, a PostgreSQL cluster of the test's own, sshd, the fake
Google server) and a way to run the gdx binary. Each server is stopped when the test ends.
"""
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc=None, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited early: %s" % proc.args)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise RuntimeError("nothing listens on port %d" % port)


class Servers:
    """Starts servers on demand; stop() ends every one of them."""

    def __init__(self, workdir):
        self.workdir = workdir
        self.procs = []
        self.pg_dir = None

    def _spawn(self, argv, port, log_name, env=None):
        log = open(os.path.join(self.workdir, log_name), "wb")
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
        self.procs.append(proc)
        wait_for_port(port, proc)
        return proc

    def moto(self):
        port = free_port()
        self._spawn(["moto_server", "-H", "127.0.0.1", "-p", str(port)], port, "moto.log")
        return "http://127.0.0.1:%d" % port

    def postgres(self, log_statements=True):
        """A cluster of this test's own (scripts/pg-cluster.sh); every statement is logged to
        pg_log() when log_statements."""
        self.pg_dir = tempfile.mkdtemp(prefix="gdx-rel-pg-", dir="/tmp")
        os.chmod(self.pg_dir, 0o777)
        url = subprocess.run([os.path.join(SOURCE_DIR, "scripts/pg-cluster.sh"), "start",
                              self.pg_dir, str(os.getpid())], check=True, capture_output=True,
                             text=True).stdout.strip()
        if log_statements:
            for sql in ("ALTER SYSTEM SET log_statement = 'all'", "SELECT pg_reload_conf()"):
                subprocess.run(["psql", "-q", "-X", url, "-c", sql], check=True,
                               capture_output=True)
        return url

    def pg_log(self):
        with open(os.path.join(self.pg_dir, "log"), "rb") as f:
            return f.read()

    def sshd(self):
        """Public-key login only (a password is always refused); returns (port, fingerprint,
        client key path)."""
        d = tempfile.mkdtemp(prefix="gdx-rel-sshd-")
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                            os.path.join(d, name)], check=True)
        shutil.copy(os.path.join(d, "client_key.pub"), os.path.join(d, "authorized_keys"))
        os.makedirs(os.path.join(d, "home"))
        os.makedirs("/run/sshd", exist_ok=True)
        port = free_port()
        with open(os.path.join(d, "sshd_config"), "w") as f:
            f.write("Port %d\nListenAddress 127.0.0.1\nHostKey %s/host_key\n"
                    "AuthorizedKeysFile %s/authorized_keys\nPasswordAuthentication no\n"
                    "KbdInteractiveAuthentication no\nPubkeyAuthentication yes\nStrictModes no\n"
                    "UsePAM no\nPidFile %s/sshd.pid\nSubsystem sftp internal-sftp\n"
                    "ForceCommand internal-sftp -d %s/home\n" % (port, d, d, d, d))
        fp = subprocess.run(["ssh-keygen", "-lf", os.path.join(d, "host_key.pub")], check=True,
                            capture_output=True, text=True).stdout.split()[1]
        self._spawn(["/usr/sbin/sshd", "-D", "-e", "-f", os.path.join(d, "sshd_config")], port,
                    "sshd.log")
        return port, fp, os.path.join(d, "client_key"), os.path.join(d, "home")

    def fake_google(self, scenario):
        path = os.path.join(self.workdir, "google-scenario.json")
        with open(path, "w") as f:
            json.dump(scenario, f)
        port = free_port()
        self._spawn([sys.executable, os.path.join(SOURCE_DIR, "tests/fakes/fake_google.py"),
                     "--scenario", path, "--port", str(port)], port, "fake_google.log")
        return "http://127.0.0.1:%d" % port

    def stop(self):
        for proc in self.procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(5)
        if self.pg_dir:
            subprocess.run([os.path.join(SOURCE_DIR, "scripts/pg-cluster.sh"), "stop",
                            self.pg_dir], check=False, capture_output=True)


class Result:
    def __init__(self, args, code, out, err):
        self.args, self.code, self.out, self.err = args, code, out, err

    def __repr__(self):
        return "gdx %s -> exit %d\nstdout:\n%s\nstderr:\n%s" % (
            " ".join(self.args), self.code, self.out, self.err)


def run_gdx(gdx, args, env, cwd, timeout=120):
    p = subprocess.run([gdx] + args, env=env, cwd=cwd, capture_output=True, timeout=timeout)
    return Result(args, p.returncode, p.stdout.decode("utf-8", "replace"),
                  p.stderr.decode("utf-8", "replace"))


def base_env(extra=None):
    """A clean environment: nothing of the caller's AWS or PostgreSQL settings leaks in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("AWS_", "PG", "GDX_", "sfts_")) and k not in ("pguser", "pgpass")}
    env.update({"AWS_EC2_METADATA_DISABLED": "true", "GDX_RETRY_MAX_ATTEMPTS": "2",
                "GDX_RETRY_BASE_MS": "5", "GDX_RETRY_CAP_MS": "20", "GDX_BACKOFF_SCALE": "0",
                "TZ": "America/Vancouver"})
    env.update(extra or {})
    return env


def s3_client(endpoint, key="k", secret="s"):
    import boto3
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=key,
                        aws_secret_access_key=secret, region_name="us-east-1")


def all_objects(client, bucket):
    """{key: bytes} of every object in the bucket."""
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            out[o["Key"]] = client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
    return out


def tree_bytes(root, skip=()):
    """{relative path: bytes} of every file under root except the paths in skip."""
    out = {}
    for d, _, files in os.walk(root):
        for name in files:
            path = os.path.join(d, name)
            rel = os.path.relpath(path, root)
            if rel in skip or not os.path.isfile(path):
                continue
            with open(path, "rb") as f:
                out[rel] = f.read()
    return out


def gdx_binary(argv):
    """The gdx binary: argv[1] or GDX_BINARY or build/gdx."""
    if len(argv) > 1:
        return os.path.abspath(argv[1])
    return os.environ.get("GDX_BINARY", os.path.join(SOURCE_DIR, "build", "gdx"))
