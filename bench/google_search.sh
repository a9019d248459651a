#!/usr/bin/env bash
# google-search throughput: (1) formatting + writing of the objects on one core
# (bench/tools/google_search_format: 33 sites x 31 days x 45,000 rows by default) and (2) a whole
# run against the fake Google server on loopback (SITES sites x 31 days x 45,000 rows, default
# 2 sites: the Python fake generates ~100k rows/s, so the full 33 sites take most of an hour),
# directory + SQLite. Prints the figures; exit 1 when the format target fails.
#
# usage: bench/google_search.sh [--build DIR] [--sites N] [--format-sites N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build
sites=2
format_sites=33
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --sites) sites=$2; shift 2 ;;
        --format-sites) format_sites=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x "$build/gdx" ] || { echo "build gdx first (cmake --build $build)" >&2; exit 2; }
tool=$build/bench/google_search_format
[ -x "$tool" ] || { echo "configure with -DGDX_BENCH=ON and build google_search_format" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }

echo "== (1) formatting + writing, one core"
status=0
taskset -c 0 "$tool" "$format_sites" 31 45000 || status=1

echo "== (2) whole run against the fake: $sites sites x 31 days x 45,000 rows"
out=$(mktemp -d /tmp/gdx-bench-google-XXXXXX)
trap 'kill "$fake_pid" 2>/dev/null || true; rm -rf "$out"' EXIT
python3 - "$out" "$sites" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
sites = {"https://site%d.gov.bc.ca/" % i: {"every_day": {"generate": {"count": 45000}}} for i in range(n)}
json.dump({"now": "2026-05-20T12:00:00-07:00", "log_bodies": False,
           "oauth": {"clients": [{"client_id": "cid", "client_secret": "csecret"}],
                     "refresh_tokens": [{"token": "rt", "scopes": ["https://www.googleapis.com/auth/webmasters.readonly"]}]},
           "search_console": {"sites": sites}}, open(out + "/scenario.json", "w"))
json.dump({"bucket": "bench", "source": "client", "directory": "google_gdx", "dbtable": "google.googlesearch",
           "dml": "dt.sql", "sites": [{"name": s, "start_date_default": "2026-04-18"} for s in sites]},
          open(out + "/search.json", "w"))
PY
python3 "$root/tests/fakes/fake_google.py" --scenario "$out/scenario.json" --port-file "$out/port" \
    > "$out/fake.log" 2>&1 &
fake_pid=$!
for _ in $(seq 100); do [ -f "$out/port" ] && break; sleep 0.1; done
port=$(cat "$out/port")
echo '{"installed":{"client_id":"cid","client_secret":"csecret"}}' > "$out/secrets.json"
echo "{\"client_id\":\"cid\",\"client_secret\":\"csecret\",\"refresh_token\":\"rt\",\"token_uri\":\"http://127.0.0.1:$port/token\"}" > "$out/creds.dat"
mkdir -p "$out/dml"
echo "SELECT 1;" > "$out/dml/dt.sql"
cd "$out"
"$build/gdx" sql --warehouse sqlite:w.db -c "CREATE SCHEMA google; CREATE TABLE google.googlesearch (site VARCHAR(255), date DATE, query VARCHAR(2048), country VARCHAR(255), device VARCHAR(255), page VARCHAR(2047), position FLOAT, clicks INTEGER, ctr FLOAT, impressions INTEGER)" >/dev/null
export GDX_TODAY=2026-05-20 GDX_BACKOFF_SCALE=0 GDX_SEARCHCONSOLE_BASE=http://127.0.0.1:$port
/usr/bin/time -f "%e %M %U" -o time.txt "$build/gdx" google-search search.json -o secrets.json -a creds.dat \
    --store file:data --warehouse sqlite:w.db --log-dir logs > report.txt
read -r wall rss user < time.txt
rows=$("$build/gdx" sql --warehouse sqlite:w.db -c "SELECT count(*) FROM google.googlesearch" | tail -1)
requests=$(curl -s "http://127.0.0.1:$port/__admin/requests" | python3 -c "import json,sys; print(len(json.load(sys.stdin)['requests']))")
echo "  rows loaded: $rows in ${wall} s wall ($(python3 -c "print(round($rows/$wall))") rows/s end to end), requests: $requests"
echo "  gdx CPU (user): ${user} s; peak RSS: ${rss} KiB; the rest of the wall time is the fake and SQLite"
exit $status
