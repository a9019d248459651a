#!/usr/bin/env bash
# The load section of the reliability campaign (docs/reliability.md, "Load"): one function
# per row of CASES, each printing its rows of the results table and failing when a promise is
# broken (an object lost or loaded twice, a run that hangs, memory that grows with the input).
#   tests/reliability/load_test.sh GDX [--short] [--only case,case]
# Every gdx run is timed by GNU time (wall seconds, peak RSS). Sizes: the short column of CASES
# with --short, the full one otherwise. Environment: GDX_TEST_PG_URL (otherwise a cluster of
# its own, scripts/pg-cluster.sh); GDX_LOAD_WORK, where the data goes (default /tmp; the full
# big_object case needs about 40 GB there, big_object_s3 about 25 GB, deleted afterwards).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../bench/lib/call_centre_objects.sh
source "$ROOT/bench/lib/call_centre_objects.sh"

# name               | short   | full      | what
CASES=(
    "many_objects       | 300     | 10000     | N objects of 10 KB under one prefix, directory store + SQLite: selection, the text and the JSON report"
    "concurrent_configs | 4x20    | 10x200    | C configs of N objects each (half share one table) run at once against one PostgreSQL"
    "same_config_pg     | 10x40   | 100x300   | R runs of one config of N objects at once, directory store + PostgreSQL"
    "same_config_sqlite | 10x40   | 100x300   | R runs of one config of N objects at once, directory store + SQLite"
    "big_object         | 20,60   | 100,10000 | one object of each size in MB, generated streaming, directory store + SQLite: rows and peak RSS"
    "big_object_s3      | 20,60   | 100,4096  | the same through s3rver and PostgreSQL: ranged GETs, a multipart batch, a server-side copy to good"
)

gdx=${1:?usage: load_test.sh GDX [--short] [--only a,b]}
shift
short=0 only=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --short) short=1 ;;
    --only) only=$2; shift ;;
    *) sed -n '2,9p' "$0" >&2; exit 2 ;;
    esac
    shift
done
work=$(mktemp -d "${GDX_LOAD_WORK:-/tmp}/gdx-load.XXXXXX")
chmod 755 "$work"  # the PostgreSQL cluster runs as the postgres user
pg_dir=""
cleanup() {
    [[ -n "$pg_dir" ]] && "$ROOT/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT
DDL=$ROOT/bench/configs/call_centre_bench.sql
TABLE=servicebc.call_centre
BUCKET=load
HANG_SECONDS=${GDX_LOAD_HANG_SECONDS:-1800}  # a run still going after this has hung
call_centre_sample "$work/sample.csv" || { echo "load: generating the sample failed" >&2; exit 2; }

row() { printf '| %s | %s | %s | %s | %s |\n' "$@"; }
mib() { awk "BEGIN { printf \"%.1f\", $1 / 1024 }"; }
failed() { echo "load: $*" >&2; }

# timed NAME ARGS...: runs `gdx ARGS` under GNU time in $work/run/NAME/ (out, err, time,
# code); sets $secs, $rss_kb and $code (read back by run_result for runs in the background). A
# run past HANG_SECONDS is killed: code 137, a hang.
timed() {
    local dir=$work/run/$1
    shift
    mkdir -p "$dir"
    /usr/bin/time -f '%e %M' -o "$dir/time" timeout -s KILL "$HANG_SECONDS" "$gdx" "$@" \
        >"$dir/out" 2>"$dir/err"
    echo $? >"$dir/code"
    run_result "$dir"
}
run_result() {  # DIR
    code=$(cat "$1/code" 2>/dev/null || echo "?")
    read -r secs rss_kb < <(tail -n 1 "$1/time" 2>/dev/null)
    [[ "${rss_kb:-}" =~ ^[0-9]+$ ]] || rss_kb=0
}

# at_once PREFIX R WAREHOUSE STORE CONFIG...: R runs of gdx s3-to-redshift started together,
# run i (timed as PREFIX<i>) on the i-th CONFIG, or on the only one; waits for all; sets $wall.
at_once() {
    local prefix=$1 r=$2 wh=$3 store=$4 i start=$SECONDS
    shift 4
    local -a configs=("$@") pids=()
    for ((i = 1; i <= r; i++)); do
        timed "$prefix$i" s3-to-redshift "${configs[$((${#configs[@]} == 1 ? 0 : i - 1))]}" \
            --store "file:$store" --warehouse "$wh" --log-dir "$work/logs-$prefix$i" -q &
        pids+=($!)
    done
    wait "${pids[@]}"
    wall=$((SECONDS - start))
}

# log_span LOG FROM TO [last]: seconds between the first record matching FROM (with `last`:
# the last one) and the last record matching TO (Python regexes) in a gdx log.
log_span() {
    python3 - "$@" <<'PY'
import datetime, re, sys
log, first, last = sys.argv[1], re.compile(sys.argv[2]), re.compile(sys.argv[3])
from_last = sys.argv[4:] == ["last"]
t0 = t1 = None
for line in open(log, errors="replace"):
    m = re.match(r"\w+:gdx:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}):(.*)", line)
    if not m:
        continue
    t = datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S,%f")
    if (t0 is None or from_last) and first.search(m.group(2)):
        t0 = t
    if last.search(m.group(2)):
        t1 = t
print("%.2f" % (t1 - t0).total_seconds() if t0 and t1 else "?")
PY
}

sql_count() {  # WAREHOUSE SQL: the single number the query returns
    "$gdx" sql --warehouse "$1" --log-dir "$work/sql-logs" --json -c "$2" |
        python3 -c 'import json,sys; print(list(json.loads(sys.stdin.readline()).values())[0])' 2>/dev/null ||
        echo "?"
}
files_under() { find "$1" -type f 2>/dev/null | wc -l; }

pg_url=${GDX_TEST_PG_URL:-}
pg_start() {  # the test cluster, started once (not in a subshell: it sets pg_url and pg_dir)
    [[ -n "$pg_url" ]] && return 0
    pg_dir=$work/pg
    pg_url=$("$ROOT/scripts/pg-cluster.sh" start "$pg_dir")
}
pg_database() {  # NAME: a fresh database on the test cluster; prints its URL
    [[ -n "$pg_url" ]] || return 1
    psql "$pg_url" -Xq -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $1" \
        -c "CREATE DATABASE $1" >/dev/null || return 1
    echo "${pg_url%/*}/$1"
}

# -------------------------------------------------------------------- many_objects
case_many_objects() {
    local n=$1 dir=$work/many status=0 rows db
    local store=$dir/store
    read -r rows _ < <(cut_call_centre_objects "$work/sample.csv" "$store/$BUCKET/client/many" "$n" 10)
    run_many() {  # NAME DEST EXTRA...: a run of the config writing under DEST into its own db
        local name=$1 dest=$2
        shift 2
        db=$dir/$dest.db
        [[ -f "$db" ]] || "$gdx" sql --warehouse "sqlite:$db" --log-dir "$dir/logs" -f "$DDL" >/dev/null
        call_centre_config "$dest" "$BUCKET" >"$dir/$dest.json"
        rm -rf "$dir/logs-$name"
        timed "many-$name" s3-to-redshift "$dir/$dest.json" --store "file:$store" \
            --warehouse "sqlite:$db" --log-dir "$dir/logs-$name" "$@"
    }
    # Every object once: table rows, ledger rows and good copies.
    check_loaded() {  # DEST
        local got ledger good
        got=$(sql_count "sqlite:$dir/$1.db" "SELECT count(*) FROM $TABLE")
        ledger=$(sql_count "sqlite:$dir/$1.db" "SELECT count(DISTINCT key) FROM gdx_ledger")
        good=$(files_under "$store/$BUCKET/$1/good")
        if [[ "$got" == "$rows" && "$ledger" == "$n" && "$good" == "$n" ]]; then
            echo "$n objects, $rows rows, once"
        else
            echo "FAIL: $got of $rows rows, $ledger ledger rows, $good good copies"
            return 1
        fi
    }
    local outcome log
    run_many dry text --dry-run
    row "many_objects" "selection of $n new objects (\`--dry-run\`)" "$secs" "$(mib "$rss_kb")" \
        "exit $code, $(grep -c 'obj-' "$work/run/many-dry/out") objects listed"
    ((code == 0)) || status=1

    run_many text text
    outcome=$(check_loaded text) || status=1
    ((code == 0)) || { outcome="FAIL: exit $code; $outcome"; status=1; }
    log=$dir/logs-text/s3-to-redshift.log
    row "many_objects" "whole run, $n objects (text report)" "$secs" "$(mib "$rss_kb")" \
        "$outcome; $(awk "BEGIN { printf \"%.0f\", $n / ($secs > 0 ? $secs : 1) }") objects/s"
    row "many_objects" "… of which selection (log: store opened → objects selected)" \
        "$(log_span "$log" '^store ' ' new objects? under ')" "" ""
    row "many_objects" "… of which the text report (log: last object → exit)" \
        "$(log_span "$log" '^finished ' '^exiting with code' last)" "" \
        "$(wc -c <"$work/run/many-text/out") bytes, $(grep -c 'obj-' "$work/run/many-text/out") objects listed"

    run_many json json -q --report-json "$dir/report.json"
    outcome=$(check_loaded json) || status=1
    local listed
    listed=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["loaded"], len(r["good_list"]))' \
        "$dir/report.json" 2>/dev/null)
    [[ "$listed" == "$n $n" ]] || { outcome="FAIL: the JSON report says loaded, listed: $listed; $outcome"; status=1; }
    ((code == 0)) || { outcome="FAIL: exit $code; $outcome"; status=1; }
    log=$dir/logs-json/s3-to-redshift.log
    row "many_objects" "whole run, $n objects (\`-q --report-json\`)" "$secs" "$(mib "$rss_kb")" "$outcome"
    row "many_objects" "… of which the JSON report (log: last object → exit)" \
        "$(log_span "$log" '^finished ' '^exiting with code' last)" "" "$(wc -c <"$dir/report.json") bytes"

    run_many again text
    outcome="exit $code: $(grep -m1 -o '[0-9]* new objects.*' "$work/run/many-again/err")"
    [[ $code == 0 ]] && grep -q '^gdx: 0 new objects' "$work/run/many-again/err" || { outcome="FAIL: $outcome"; status=1; }
    row "many_objects" "selection again, $n objects processed (nothing to do)" "$secs" "$(mib "$rss_kb")" "$outcome"
    rm -rf "$dir"
    return $status
}

# -------------------------------------------------------------------- concurrent_configs
case_concurrent_configs() {
    local c=${1%x*} n=${1#*x} dir=$work/cc status=0 url i table
    pg_start
    url=$(pg_database gdx_load_cc) || { row "concurrent_configs" "setup" "" "" "FAIL: no PostgreSQL"; return 1; }
    "$gdx" sql --warehouse "$url" --log-dir "$dir/logs" -f "$DDL" >/dev/null || return 1
    local -a rows tables configs
    for ((i = 1; i <= c; i++)); do
        read -r "rows[i]" _ < <(cut_call_centre_objects "$work/sample.csv" "$dir/store/$BUCKET/client/cc$i" "$n" 10)
        table=$TABLE
        if ((i > c / 2)); then  # the other half: a table each
            table=${TABLE}_$i
            "$gdx" sql --warehouse "$url" --log-dir "$dir/logs" \
                -c "CREATE TABLE $table (LIKE $TABLE)" >/dev/null || return 1
        fi
        tables[i]=$table
        call_centre_config "processed-cc$i" "$BUCKET" "cc$i" "$table" >"$dir/cc$i.json"
        configs+=("$dir/cc$i.json")
    done
    local wall max_rss=0 codes="" shared=0 got ledger good
    at_once cc "$c" "$url" "$dir/store" "${configs[@]}"
    for ((i = 1; i <= c; i++)); do
        run_result "$work/run/cc$i"
        ((rss_kb > max_rss)) && max_rss=$rss_kb
        [[ "$code" == 137 ]] && codes+=" cc$i hung;"
        [[ "$code" == 0 || "$code" == 137 ]] ||
            codes+=" cc$i exit $code: $(grep -m1 error "$work/run/cc$i/err" | head -c 200 | tr '|' ' ');"
        ledger=$(sql_count "$url" "SELECT count(*) FROM gdx_ledger WHERE config = '$dir/cc$i.json'")
        good=$(files_under "$dir/store/$BUCKET/processed-cc$i/good")
        [[ "$ledger" == "$n" && "$good" == "$n" ]] || codes+=" cc$i: $ledger ledger rows, $good good copies;"
        if [[ "${tables[i]}" == "$TABLE" ]]; then
            shared=$((shared + rows[i]))
        else
            got=$(sql_count "$url" "SELECT count(*) FROM ${tables[i]}")
            [[ "$got" == "${rows[i]}" ]] || codes+=" ${tables[i]}: $got of ${rows[i]} rows;"
        fi
    done
    got=$(sql_count "$url" "SELECT count(*) FROM $TABLE")
    [[ "$got" == "$shared" ]] || codes+=" $TABLE: $got of $shared rows;"
    local outcome="every object of every config once, every run exit 0"
    [[ -n "$codes" ]] && { outcome="FAIL:$codes"; status=1; }
    row "concurrent_configs" "$c configs × $n objects at once, one PostgreSQL" "$wall" \
        "$(mib "$max_rss") (largest run)" "$outcome"
    psql "$pg_url" -Xq -c "DROP DATABASE gdx_load_cc" >/dev/null 2>&1
    rm -rf "$dir"
    return $status
}

# -------------------------------------------------------------------- big_object
# Peak memory: GNU time's maximum RSS, and beside it the peak RSS without SQLite's WAL index
# (tests/reliability/peak_memory.py): the index is a file mapping (the -shm file) of 8 bytes per
# database page the one transaction writes, SQLite's and not gdx's, so it grows with the object
# (about 2 MiB per GB). "Flat" is judged on the rest: what gdx holds itself.
case_big_object() {
    local sizes=$1 dir=$work/big status=0 mb rows got first_own=0 own_kb shm_kb outcome
    for mb in ${sizes//,/ }; do
        mkdir -p "$dir/store/$BUCKET/client/big"
        local obj=$dir/store/$BUCKET/client/big/obj-000000.csv
        /usr/bin/python3 "$CALL_CENTRE_BENCH/gen_call_centre.py" --mb "$mb" --seed 11 --out "$obj" 2>/dev/null ||
            { row "big_object" "$mb MB" "" "" "FAIL: generation"; return 1; }
        rows=$(($(wc -l <"$obj") - 1))
        "$gdx" sql --warehouse "sqlite:$dir/big.db" --log-dir "$dir/logs" -f "$DDL" >/dev/null
        call_centre_config processed "$BUCKET" big >"$dir/big.json"
        python3 "$ROOT/tests/reliability/peak_memory.py" "$dir/big.json" 60 >"$work/big-memory" &
        local sampler=$!
        timed "big-$mb" s3-to-redshift "$dir/big.json" --store "file:$dir/store" \
            --warehouse "sqlite:$dir/big.db" --log-dir "$dir/logs" -q
        wait "$sampler"
        read -r own_kb shm_kb <"$work/big-memory"
        [[ "${own_kb:-}" =~ ^[0-9]+$ && "$own_kb" -gt 0 ]] || { own_kb=$rss_kb shm_kb=0; }
        got=$(sql_count "sqlite:$dir/big.db" "SELECT count(*) FROM $TABLE")
        outcome="exit $code, $got of $rows rows"
        [[ $code == 0 && "$got" == "$rows" ]] || { outcome="FAIL: $outcome"; status=1; }
        local memory="$(mib "$own_kb") MiB without SQLite's WAL index ($(mib "$shm_kb") MiB)"
        if ((first_own == 0)); then
            first_own=$own_kb
            outcome+="; $memory"
        elif ((own_kb * 2 > first_own * 3)); then  # flat: within 1.5x of the smallest size's
            outcome="FAIL (memory grows): $outcome; $memory"
            status=1
        else
            outcome+="; $memory: flat"
        fi
        row "big_object" "one object of $mb MB ($(du -b "$obj" | cut -f1) bytes)" "$secs" \
            "$(mib "$rss_kb")" "$outcome; $(awk "BEGIN { printf \"%.0f\", $mb / ($secs > 0 ? $secs : 1) }") MB/s"
        rm -rf "$dir"
    done
    return $status
}

# -------------------------------------------------------------------- big_object_s3
# The S3 path of a large object: s3rver (objects in files) on loopback, PostgreSQL. gdx holds a
# few ranges and parts, whatever the size; GNU time's peak RSS is the figure (no SQLite here).
case_big_object_s3() {
    local sizes=$1 dir=$work/big_s3 status=0 mb rows got first_rss=0 outcome url port pid
    pg_start
    mkdir -p "$dir/s3rver-data"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    "$ROOT/scripts/s3-servers.sh" install >/dev/null ||
        { row "big_object_s3" "setup" "" "" "FAIL: s3rver could not be installed"; return 1; }
    NODE_OPTIONS=--openssl-legacy-provider "$ROOT/node_modules/.bin/s3rver" -d "$dir/s3rver-data" \
        -a 127.0.0.1 -p "$port" >"$dir/s3rver.log" 2>&1 &
    pid=$!
    local -x AWS_ENDPOINT_URL=http://127.0.0.1:$port AWS_ACCESS_KEY_ID=S3RVER \
        AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    # boto3, the independent client: make the bucket, upload a file, or say whether a key exists
    s3() {
        python3 - "$@" <<'PY'
import sys, time, boto3, botocore
cmd, bucket, key = sys.argv[1:4]
s3 = boto3.client("s3")
for attempt in range(50):  # the server may still be starting
    try:
        s3.list_buckets()
        break
    except botocore.exceptions.EndpointConnectionError:
        time.sleep(0.1)
if cmd == "bucket":
    s3.create_bucket(Bucket=bucket)
elif cmd == "upload":
    s3.upload_file(sys.argv[4], bucket, key)
else:
    print("yes" if s3.list_objects_v2(Bucket=bucket, Prefix=key).get("KeyCount", 0) else "no")
PY
    }
    s3 bucket "$BUCKET" - || { kill "$pid"; row "big_object_s3" "setup" "" "" "FAIL: no s3rver"; return 1; }
    for mb in ${sizes//,/ }; do
        local obj=$dir/obj.csv key=client/big/obj-$mb.csv
        /usr/bin/python3 "$CALL_CENTRE_BENCH/gen_call_centre.py" --mb "$mb" --seed 11 --out "$obj" 2>/dev/null &&
            s3 upload "$BUCKET" "$key" "$obj" ||
            { row "big_object_s3" "$mb MB" "" "" "FAIL: generation or upload"; status=1; break; }
        rows=$(($(wc -l <"$obj") - 1))
        local bytes; bytes=$(stat -c %s "$obj")
        rm -f "$obj"
        url=$(pg_database "gdx_load_big_$mb") || { row "big_object_s3" "setup" "" "" "FAIL: no PostgreSQL"; status=1; break; }
        "$gdx" sql --warehouse "$url" --log-dir "$dir/logs" -f "$DDL" >/dev/null
        call_centre_config processed "$BUCKET" big >"$dir/big.json"
        timed "big-s3-$mb" s3-to-redshift "$dir/big.json" --store s3:// --warehouse "$url" \
            --log-dir "$dir/logs-$mb" -q
        got=$(sql_count "$url" "SELECT count(*) FROM $TABLE")
        outcome="exit $code, $got of $rows rows, good copy: $(s3 exists "$BUCKET" "processed/good/$key")"
        [[ $code == 0 && "$got" == "$rows" && "$outcome" == *"good copy: yes" ]] ||
            { outcome="FAIL: $outcome"; status=1; }
        if ((first_rss == 0)); then
            first_rss=$rss_kb
        elif ((rss_kb * 2 > first_rss * 3)); then  # flat: within 1.5x of the smallest size's
            outcome="FAIL (memory grows): $outcome"
            status=1
        else
            outcome+="; memory flat"
        fi
        row "big_object_s3" "one object of $mb MB ($bytes bytes) through s3rver" "$secs" \
            "$(mib "$rss_kb")" "$outcome; $(awk "BEGIN { printf \"%.0f\", $mb / ($secs > 0 ? $secs : 1) }") MB/s"
        psql "$pg_url" -Xq -c "DROP DATABASE gdx_load_big_$mb" >/dev/null 2>&1
    done
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -rf "$dir"
    return $status
}

# -------------------------------------------------------------------- same_config
# R runs of one config at once; each must exit 0, or 1 saying why (what another run holds);
# then one more run must find nothing to do, and every object be loaded exactly once.
same_config() {  # NAME R N WAREHOUSE
    local name=$1 r=$2 n=$3 wh=$4 dir=$work/$1 status=0 rows i
    read -r rows _ < <(cut_call_centre_objects "$work/sample.csv" "$dir/store/$BUCKET/client/many" "$n" 10)
    "$gdx" sql --warehouse "$wh" --log-dir "$dir/logs" -f "$DDL" >/dev/null || return 1
    call_centre_config processed "$BUCKET" >"$dir/same.json"
    local wall max_rss=0 ok=0 failures=0 hung=0
    at_once "$name-" "$r" "$wh" "$dir/store" "$dir/same.json"
    : >"$dir/messages"
    for ((i = 1; i <= r; i++)); do
        run_result "$work/run/$name-$i"
        ((rss_kb > max_rss)) && max_rss=$rss_kb
        if [[ "$code" == 0 ]]; then
            ok=$((ok + 1))
        elif [[ "$code" == 137 ]]; then
            hung=$((hung + 1))
        else
            failures=$((failures + 1))
            # the message without what differs between runs (pids, keys, numbers)
            { grep -m1 'error' "$work/run/$name-$i/err" || echo "exit $code, no error message"; } |
                sed -E 's/[0-9]+/N/g' >>"$dir/messages"
        fi
    done
    timed "$name-final" s3-to-redshift "$dir/same.json" --store "file:$dir/store" --warehouse "$wh" \
        --log-dir "$dir/logs"
    local final=$code got ledger good bad
    got=$(sql_count "$wh" "SELECT count(*) FROM $TABLE")
    ledger=$(sql_count "$wh" "SELECT count(DISTINCT key) FROM gdx_ledger")
    good=$(files_under "$dir/store/$BUCKET/processed/good")
    bad=$(files_under "$dir/store/$BUCKET/processed/bad")
    local outcome="$ok exit 0, $failures exit 1, $hung hung; then a run: exit $final; $got of $rows rows, $ledger ledger rows, $good good copies, $bad bad"
    if [[ $hung == 0 && $final == 0 && "$got" == "$rows" && "$ledger" == "$n" && "$good" == "$n" && "$bad" == 0 ]] &&
        ! grep -qv -iE 'lock|concurrent|busy|another run|too many clients' "$dir/messages"; then
        outcome="every object once: $outcome"
    else
        outcome="FAIL: $outcome"
        status=1
    fi
    row "$name" "$r runs of one config × $n objects at once" "$wall" "$(mib "$max_rss") (largest run)" "$outcome"
    sort "$dir/messages" | uniq -c | sort -rn | head -n 5 | while read -r count msg; do
        row "$name" "… $count runs said" "" "" "\`${msg//|//}\`"
    done
    rm -rf "$dir"
    return $status
}
case_same_config_pg() {
    local url
    pg_start
    url=$(pg_database gdx_load_same) || { row "same_config_pg" "setup" "" "" "FAIL: no PostgreSQL"; return 1; }
    same_config same_config_pg "${1%x*}" "${1#*x}" "$url"
}
case_same_config_sqlite() {
    mkdir -p "$work/same_config_sqlite"
    same_config same_config_sqlite "${1%x*}" "${1#*x}" "sqlite:$work/same_config_sqlite/same.db"
}

echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start."
echo
row "case" "measure" "seconds" "peak RSS MiB" "outcome"
row "---" "---" "---:" "---:" "---"
overall=0
for entry in "${CASES[@]}"; do
    IFS='|' read -r name small full _ <<<"$entry"
    name=${name// /} small=${small// /} full=${full// /}
    [[ -z "$only" || ",$only," == *",$name,"* ]] || continue
    "case_$name" "$( ((short)) && echo "$small" || echo "$full")" || overall=1
done
echo
echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
exit $overall
