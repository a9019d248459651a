#!/usr/bin/env bash
# google-business end to end against the fake Google server on loopback: LOCATIONS locations
# (default 1,000, in one account group, 10 listing pages) x 540 days x 9 metrics, directory +
# SQLite. Prints the API calls (metric calls must equal the locations: one call per location,
# not one per metric), rows/s, gdx's CPU time and peak RSS; then the same with a tenth of the
# locations, so that the two peaks show memory does not grow with the run. Exit 1 when the
# metric calls are not one per location or the rows are not all loaded.
#
# usage: bench/google_business.sh [--build DIR] [--locations N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=$root/build
locations=1000
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --locations) locations=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
[ -x "$build/gdx" ] || { echo "build gdx first (cmake --build $build)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }

out=$(mktemp -d /tmp/gdx-bench-business-XXXXXX)
fake_pid=
trap '[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null; rm -rf "$out"' EXIT
status=0

# run N: one whole run over N locations; prints its figures.
run() {
    local n=$1 dir=$out/run$1
    mkdir -p "$dir"
    python3 - "$dir" "$n" <<'PY'
import json, sys
out, n = sys.argv[1], int(sys.argv[2])
metrics = ["BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH",
           "BUSINESS_IMPRESSIONS_MOBILE_MAPS", "BUSINESS_IMPRESSIONS_MOBILE_SEARCH",
           "BUSINESS_CONVERSATIONS", "BUSINESS_DIRECTION_REQUESTS", "CALL_CLICKS",
           "WEBSITE_CLICKS", "BUSINESS_BOOKINGS"]
json.dump({"now": "2026-05-20T12:00:00-07:00", "log_bodies": False,
           "oauth": {"clients": [{"client_id": "cid", "client_secret": "csecret"}],
                     "refresh_tokens": [{"token": "rt", "scopes": ["https://www.googleapis.com/auth/business.manage"]}]},
           "gbp": {"accounts": [{"name": "accounts/1", "type": "PERSONAL"},
                                {"name": "accounts/2", "accountNumber": "5448030039", "type": "LOCATION_GROUP"}],
                   "locations": {"accounts/2": {"generate": {"count": n, "first_id": 10000}}}}},
          open(out + "/scenario.json", "w"))
# 2026-05-17 (today - 3) back to 2024-11-24: 540 days.
json.dump({"bucket": "bench", "source": "client", "destination": "processed",
           "directory": "google_mybusiness", "dbtable": "google.mybusiness", "metrics": metrics,
           "locations": [{"client_shortname": "servicebc", "name": "Service BC", "id": 5448030039,
                          "start_date": "2024-11-24", "end_date": ""}]},
          open(out + "/mybusiness.json", "w"))
PY
    python3 "$root/tests/fakes/fake_google.py" --scenario "$dir/scenario.json" --port-file "$dir/port" \
        > "$dir/fake.log" 2>&1 &
    fake_pid=$!
    for _ in $(seq 100); do [ -f "$dir/port" ] && break; sleep 0.1; done
    local port base
    port=$(cat "$dir/port")
    base=http://127.0.0.1:$port
    echo '{"installed":{"client_id":"cid","client_secret":"csecret"}}' > "$dir/secrets.json"
    echo "{\"client_id\":\"cid\",\"client_secret\":\"csecret\",\"refresh_token\":\"rt\",\"token_uri\":\"$base/token\"}" > "$dir/creds.dat"
    (
        cd "$dir"
        local cols="date DATE, client VARCHAR(255), location VARCHAR(255), location_id VARCHAR(255)"
        for m in business_impressions_desktop_maps business_impressions_desktop_search \
            business_impressions_mobile_maps business_impressions_mobile_search business_conversations \
            business_direction_requests call_clicks website_clicks business_bookings; do
            cols="$cols, $m INTEGER"
        done
        "$build/gdx" sql --warehouse sqlite:w.db -c "CREATE SCHEMA google; CREATE TABLE google.mybusiness ($cols)" >/dev/null
        GDX_TODAY=2026-05-20 GDX_BACKOFF_SCALE=0 GDX_GBP_ACCOUNTS_BASE=$base GDX_GBP_INFO_BASE=$base \
            GDX_GBP_PERF_BASE=$base /usr/bin/time -f "%e %M %U" -o time.txt "$build/gdx" google-business \
            mybusiness.json -o secrets.json -a creds.dat --store file:data --warehouse sqlite:w.db \
            --log-dir logs --no-progress > report.txt
    )
    local wall rss user rows calls metric_calls
    read -r wall rss user < "$dir/time.txt"
    rows=$("$build/gdx" sql --warehouse "sqlite:$dir/w.db" -c "SELECT count(*) FROM google.mybusiness" | tail -1)
    read -r calls metric_calls < <(curl -s "$base/__admin/requests" | python3 -c "
import json, sys
r = [q for q in json.load(sys.stdin)['requests'] if q['path'] != '/token']
print(len(r), sum(1 for q in r if q['path'].endswith(':fetchMultiDailyMetricsTimeSeries')))")
    kill "$fake_pid" 2>/dev/null || true
    wait "$fake_pid" 2>/dev/null || true
    fake_pid=
    echo "  $n locations x 540 days: API calls $calls ($metric_calls metric calls = $(python3 -c "print(round($metric_calls/$n, 3))") per location), rows $rows"
    echo "    ${wall} s wall, $(python3 -c "print(round($rows/$wall))") rows/s end to end; gdx CPU (user) ${user} s; peak RSS ${rss} KiB"
    [ "$metric_calls" -eq "$n" ] || { echo "    FAIL: metric calls != locations" >&2; status=1; }
    [ "$rows" -eq $((n * 540)) ] || { echo "    FAIL: rows != locations x 540" >&2; status=1; }
    last_rss=$rss
}

echo "== google-business against the fake (directory + SQLite)"
run "$locations"
big_rss=$last_rss
small=$((locations / 10))
[ "$small" -ge 1 ] || small=1
run "$small"
echo "  peak RSS ratio, $locations vs $small locations: $(python3 -c "print(round($big_rss/$last_rss, 2))") (flat memory: about 1)"
exit $status
