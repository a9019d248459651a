#!/usr/bin/env bash
# S3 -> PostgreSQL end to end: `gdx s3-to-redshift --store s3:// --warehouse postgresql://`
# on a generated call-centre object held by an S3 test server on loopback, against `psql \copy`
# of the very batch file gdx wrote (downloaded from the store) into a fresh identical table.
# Runs against both test servers: s3rver (Node, objects in files: the verdict) and moto
# (Python, objects in memory: its own CopyObject of 200 MB takes about a second, printed as
# context), and from a directory store. Best of three runs each, interleaved, every one after a
# CHECKPOINT. Targets: gdx wall <= 1.05x psql \copy from the directory store, <= 1.1x on
# s3rver; gdx peak RSS <= 64 MiB on both servers.
# The server's own CPU time during each gdx run is printed beside gdx's: on a machine with few
# cores it competes with gdx and PostgreSQL for them, which psql \copy does not pay. So is the
# whole machine's busy CPU time over that run, as two floors: divided by the cores, the shortest
# the run could take (gdx / floor says how close gdx comes), and the same without gdx's own CPU
# over psql \copy, the best ratio any loader could reach on this machine against this server.
# Starts the servers and a throw-away PostgreSQL cluster (scripts/pg-cluster.sh), stops them
# at exit. Exit 1 when a target FAILs, 2 when the run itself fails. --servers s3rver leaves
# moto out (its runs take about ten times as long and load the machine).
#
# usage: bench/pg_e2e.sh [--mb N] [--gdx PATH] [--servers "s3rver moto"]
#        (default 200 MB, build-bench/gdx, both servers)
set -uo pipefail

MB=200
SEED=20240105
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GDX="$ROOT/build-bench/gdx"
SERVERS="s3rver moto"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mb) MB=$2; shift 2 ;;
        --gdx) GDX=$2; shift 2 ;;
        --servers) SERVERS=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "pg_e2e.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
# gdx runs from a work directory: a relative --gdx is taken from where the script was started.
[[ "$GDX" == /* ]] || GDX="$PWD/$GDX"
[[ " $SERVERS " == *" s3rver "* ]] || { echo "pg_e2e.sh: --servers must include s3rver (the verdict)" >&2; exit 2; }

BENCH="$ROOT/bench"
OUT="$BENCH/out/pg_e2e"
CONFIG="$BENCH/configs/call_centre_bench.json"
DDL="$BENCH/configs/call_centre_bench.sql"
TABLE=servicebc.call_centre
COPY_TABLE=bench_copy.call_centre
PYDATA=/usr/bin/python3  # the generator's interpreter (as bench/run.sh)
PYS3=python3             # the python3 on PATH has boto3 and moto
rm -rf "$OUT"
mkdir -p "$OUT/logs" "$OUT/work"

say() { printf '\n== %s\n' "$*"; }
die() { echo "pg_e2e: $*" >&2; exit 2; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

[[ -x /usr/bin/time ]] || apt-get install -y time >/dev/null 2>&1 || die "GNU time is missing"
command -v psql >/dev/null || die "psql is missing (Debian postgresql-client)"
if [[ ! -x "$GDX" ]]; then
    say "building gdx (Release, $ROOT/build-bench)"
    cmake -S "$ROOT" -B "$ROOT/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGDX_TESTS=OFF \
        -DCMAKE_CXX_FLAGS=-Wno-error=restrict >"$OUT/build.log" 2>&1 &&
        cmake --build "$ROOT/build-bench" --target gdx -j2 >>"$OUT/build.log" 2>&1 ||
        die "building gdx failed (see $OUT/build.log)"
fi

# ---------------------------------------------------------------- data
DATA="$BENCH/out/call_centre_${MB}mb_s$SEED.csv"
if [[ ! -s "$DATA" || "$BENCH/gen_call_centre.py" -nt "$DATA" ]]; then
    say "generating $DATA"
    "$PYDATA" "$BENCH/gen_call_centre.py" --mb "$MB" --seed "$SEED" --out "$DATA" || die "generation failed"
fi
BYTES=$(stat -c %s "$DATA")
ROWS=$(( $(wc -l <"$DATA") - 1 ))  # the generator writes no line breaks inside fields
echo "object: $DATA ($(calc "$BYTES / 1e6") MB, $ROWS rows)"

# ---------------------------------------------------------------- servers
PIDS=()
PG_DIR="$OUT/pg"
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1
}
trap cleanup EXIT
free_port() { "$PYS3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
"$ROOT/scripts/s3-servers.sh" install >/dev/null || die "could not install s3rver (npm)"
MOTO_PORT=$(free_port)
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$OUT/moto.log" 2>&1 &
PIDS+=($!)
MOTO_PID=$!
S3RVER_PORT=$(free_port)
mkdir -p "$OUT/s3rver-data"
NODE_OPTIONS=--openssl-legacy-provider "$ROOT/node_modules/.bin/s3rver" -d "$OUT/s3rver-data" \
    -a 127.0.0.1 -p "$S3RVER_PORT" >"$OUT/s3rver.log" 2>&1 &
PIDS+=($!)
S3RVER_PID=$!
declare -A SERVER_PID=([moto]=$MOTO_PID [s3rver]=$S3RVER_PID)
# cpu_ticks PID: user + system clock ticks the process has used so far
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)
# busy_ticks: clock ticks every CPU of the machine has spent busy so far (/proc/stat: user,
# nice, system, irq, softirq; not idle, iowait or time stolen by the hypervisor). Over a run,
# divided by the cores, it is the shortest that run could take with every process's work
# spread perfectly over them: the machine's floor for that work.
busy_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
CORES=$(nproc)
{ wait_port "$MOTO_PORT" && wait_port "$S3RVER_PORT"; } || die "the S3 servers did not start"
PG=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR") || die "could not start PostgreSQL"
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset GDX_STORE GDX_WAREHOUSE
echo "moto: 127.0.0.1:$MOTO_PORT; s3rver: 127.0.0.1:$S3RVER_PORT; PostgreSQL: $PG"

# use_server NAME: points the AWS variables (gdx and boto3 alike) at that server.
use_server() {
    case "$1" in
        moto) export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench ;;
        s3rver) export AWS_ENDPOINT_URL="http://127.0.0.1:$S3RVER_PORT" AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER ;;
    esac
}

BUCKET=$("$PYS3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bucket"])' "$CONFIG")
KEY="client/cfms_sbc/ESB_Data-bench.csv"
BATCH_KEY="processed/batch/$KEY"
# s3 COMMAND BUCKET KEY PATH: boto3, the independent client. "copy" times the server's own
# CopyObject of the object to key PATH (what a copy to processed/good costs on that server),
# "get" one plain GET of the object into PATH (what serving it costs), both inside Python, so
# that the interpreter's start and boto3's import are not counted.
s3() {
    "$PYS3" - "$@" <<'EOF'
import sys, time, boto3
from boto3.s3.transfer import TransferConfig
cmd, bucket, key, path = sys.argv[1:5]
s3 = boto3.client("s3")
cfg = TransferConfig(multipart_threshold=64 << 20, multipart_chunksize=64 << 20)
if cmd == "upload":
    s3.create_bucket(Bucket=bucket)
    s3.upload_file(path, bucket, key, Config=cfg)
elif cmd == "clear":  # every object under the prefix KEY
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key):
        for o in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=o["Key"])
elif cmd == "copy":
    t = time.time()
    s3.copy_object(Bucket=bucket, Key=path, CopySource={"Bucket": bucket, "Key": key})
    print(f"{time.time() - t:.2f}")
elif cmd == "get":  # one GET of the whole object, timed without the interpreter's start
    t = time.time()
    body = s3.get_object(Bucket=bucket, Key=key)["Body"]
    with open(path, "wb") as out:
        for chunk in iter(lambda: body.read(1 << 20), b""):
            out.write(chunk)
    print(f"{time.time() - t:.2f}")
else:
    s3.download_file(bucket, key, path, Config=cfg)
EOF
}
count() { psql "$1" -XAtc "SELECT count(*) FROM $2"; }
# phase WHAT SERVER: seconds from gdx's log ("committed …: N rows in X s", "copied to good in Y s")
phase() { grep -h "$1" "$2/s3-to-redshift.log" | tail -1 | sed -E 's/.* in ([0-9.]+) s.*/\1/'; }

# ---------------------------------------------------------------- gdx, per server
# Every timed run (gdx or psql) starts right after a CHECKPOINT, so that none of them pays for
# the WAL of an earlier one; each server's best run counts (its figures are kept together).
declare -A CPU WALL RSS ROWS_IN COMMIT WROTE COPYGOOD SERVER_COPY SERVER_GET SERVER_CPU MACHINE_CPU
run_gdx() {
    local name=$1 run=$2 db="run_$1_$2"
    use_server "$name"
    say "gdx s3-to-redshift: $name -> PostgreSQL (run $run)"
    if [[ $run == 1 ]]; then
        s3 upload "$BUCKET" "$KEY" "$DATA" || die "upload to $name failed"
    else
        s3 clear "$BUCKET" processed/ - || die "clearing processed/ on $name failed"
    fi
    psql "$PG" -Xq -c "CREATE DATABASE $db" || die "creating database $db failed"
    local url="${PG%/*}/$db" logs="$OUT/logs-$name-$run"
    mkdir -p "$logs"
    "$GDX" sql --warehouse "$url" --log-dir "$logs" -f "$DDL" >"$OUT/ddl.txt" 2>&1 ||
        { cat "$OUT/ddl.txt"; die "creating $TABLE failed"; }
    psql "$PG" -Xq -c CHECKPOINT
    local ticks0 busy0; ticks0=$(cpu_ticks "${SERVER_PID[$name]}") busy0=$(busy_ticks)
    (cd "$OUT/work" && /usr/bin/time -f '%M %e %U %S' -o "$OUT/gdx_time.txt" \
        "$GDX" s3-to-redshift "$CONFIG" --store s3:// --warehouse "$url" --log-dir "$logs" \
        >"$OUT/gdx_stdout_$name.txt" 2>"$OUT/gdx_stderr_$name.txt")
    local rc=$?
    local server_cpu; server_cpu=$(calc "($(cpu_ticks "${SERVER_PID[$name]}") - $ticks0) / $TICKS")
    local machine_cpu; machine_cpu=$(calc "($(busy_ticks) - $busy0) / $TICKS")
    [[ $rc -eq 0 ]] || { tail -n 20 "$OUT/gdx_stderr_$name.txt"; die "gdx exited $rc on $name"; }
    local rss wall user sys rows commit wrote copygood
    read -r rss wall user sys < <(tail -1 "$OUT/gdx_time.txt")
    rows=$(count "$url" "$TABLE")
    commit=$(phase committed "$logs")
    wrote=$(phase "wrote $BATCH_KEY" "$logs")
    copygood=$(phase "copied to good" "$logs")
    echo "exit 0; wall $wall s (batch written in $wrote s, transform + COPY committed in $commit s," \
        "copy to good $copygood s); gdx CPU $(calc "$user + $sys") s, $name's CPU $server_cpu s," \
        "all processes' CPU $machine_cpu s;" \
        "peak RSS $rss KiB; rows $rows (file: $ROWS)"
    [[ -n "${WALL[$name]:-}" ]] && (( $(awk -v a="$wall" -v b="${WALL[$name]}" 'BEGIN{print (a >= b)}') )) && return 0
    RSS[$name]=$rss WALL[$name]=$wall CPU[$name]=$(calc "$user + $sys") ROWS_IN[$name]=$rows
    COMMIT[$name]=$commit WROTE[$name]=$wrote COPYGOOD[$name]=$copygood SERVER_CPU[$name]=$server_cpu
    MACHINE_CPU[$name]=$machine_cpu
    if [[ $run == 1 ]]; then
        SERVER_COPY[$name]=$(s3 copy "$BUCKET" "$KEY" "context/copy-of-object.csv")
        SERVER_GET[$name]=$(s3 get "$BUCKET" "$KEY" /dev/null)
    fi
}

# psql \copy of gdx's batch into bench_copy.call_centre, next to gdx's table in run_s3rver.
PSQL_WALLS=()
COPY_DB=""
psql_copy() {
    psql "$COPY_DB" -Xq -v ON_ERROR_STOP=1 -c "DROP SCHEMA IF EXISTS bench_copy CASCADE" \
        -c "CREATE SCHEMA bench_copy" -c "CREATE TABLE $COPY_TABLE (LIKE $TABLE INCLUDING ALL)" ||
        die "creating $COPY_TABLE failed"
    psql "$PG" -Xq -c CHECKPOINT
    /usr/bin/time -f '%M %e' -o "$OUT/psql_time.txt" psql "$COPY_DB" -Xq -v ON_ERROR_STOP=1 -c \
        "\\copy $COPY_TABLE FROM '$OUT/batch.txt' WITH (FORMAT text, DELIMITER '|', NULL '\\N', HEADER true)" ||
        die "psql \\copy failed"
    local rss wall
    read -r rss wall < <(tail -1 "$OUT/psql_time.txt")
    PSQL_WALLS+=("$wall")
    echo "psql \\copy: wall $wall s; rows in $COPY_TABLE: $(count "$COPY_DB" "$COPY_TABLE")"
}

# The same load from a directory store (only gdx and PostgreSQL), a fresh database each run.
FILE_WALLS=()
mkdir -p "$OUT/files/$BUCKET/client/cfms_sbc"
ln "$DATA" "$OUT/files/$BUCKET/$KEY" 2>/dev/null || cp "$DATA" "$OUT/files/$BUCKET/$KEY"
run_file() {
    local db="filerun_$1"
    say "gdx s3-to-redshift: directory store -> PostgreSQL (run $1)"
    rm -rf "$OUT/files/$BUCKET/processed"
    psql "$PG" -Xq -c "CREATE DATABASE $db" || die "creating database $db failed"
    local url="${PG%/*}/$db"
    "$GDX" sql --warehouse "$url" --log-dir "$OUT/logs" -f "$DDL" >/dev/null 2>&1 || die "DDL failed"
    psql "$PG" -Xq -c CHECKPOINT
    (cd "$OUT/work" && /usr/bin/time -f '%M %e' -o "$OUT/file_time.txt" \
        "$GDX" s3-to-redshift "$CONFIG" --store "file:$OUT/files" --warehouse "$url" \
        --log-dir "$OUT/logs-file-$1" >/dev/null 2>"$OUT/file_stderr.txt") ||
        { tail -5 "$OUT/file_stderr.txt"; die "gdx failed on the directory store"; }
    local rss wall
    read -r rss wall < <(tail -1 "$OUT/file_time.txt")
    FILE_WALLS+=("$wall")
    FILE_ROWS=$(count "$url" "$TABLE")
    echo "exit 0; wall $wall s; peak RSS $rss KiB; rows $FILE_ROWS (file: $ROWS)"
}

# Interleaved, so that a slow moment of the machine does not fall on one side only.
with_moto() { [[ " $SERVERS " == *" moto "* ]]; }
run_file 1
run_gdx s3rver 1
COPY_DB="${PG%/*}/run_s3rver_1"
use_server s3rver
s3 download "$BUCKET" "$BATCH_KEY" "$OUT/batch.txt" || die "downloading $BATCH_KEY failed"
for run in 1 2 3; do
    if [[ $run != 1 ]]; then
        run_file "$run"
        run_gdx s3rver "$run"
    fi
    say "psql \\copy of gdx's batch file (run $run)"
    psql_copy
    with_moto && run_gdx moto "$run"
done
PSQL_ROWS=$(count "$COPY_DB" "$COPY_TABLE")
SAME=$(psql "$COPY_DB" -XAtc "SELECT count(*) FROM (SELECT * FROM $TABLE EXCEPT ALL SELECT * FROM $COPY_TABLE) d")
rm -f "$OUT/batch.txt"

# ---------------------------------------------------------------- summary
PSQL_WALL=$(printf '%s\n' "${PSQL_WALLS[@]}" | sort -g | head -1)
verdict() { (( $(awk -v v="$1" -v l="$3" "BEGIN{print (v $2 l)}") )) && echo PASS || echo FAIL; }
say "results ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
row() { printf '%-58s %16s %9s  %s\n' "$@"; }
row "figure" "measured" "target" "verdict"
row "psql \\copy of gdx's batch file, best of 3 (s)" "$PSQL_WALL" "" "(${PSQL_WALLS[*]})"
FAILS=""
for name in $SERVERS; do
    ratio=$(calc "${WALL[$name]} / $PSQL_WALL")
    rss=$(calc "${RSS[$name]} / 1024")
    v_rss=$(verdict "$rss" '<=' 64)
    if [[ $name == s3rver ]]; then
        target="<= 1.1x"; v_ratio=$(verdict "$ratio" '<=' 1.1)
    else
        target="context"; v_ratio="(moto copies 200 MB in memory, in Python)"
    fi
    v_rows=PASS; [[ "${ROWS_IN[$name]}" == "$ROWS" ]] || v_rows=FAIL
    FAILS+="$v_ratio $v_rss $v_rows "
    row "gdx s3-to-redshift, $name -> PostgreSQL, best of 3 (s)" "${WALL[$name]}" "" ""
    row "  of which transform + COPY, committed (s)" "${COMMIT[$name]}" "" ""
    row "  of which the batch written: GET, transform, PUT (s)" "${WROTE[$name]}" "" ""
    row "  of which copy to processed/good (s)" "${COPYGOOD[$name]}" "" ""
    row "  gdx's own CPU time, user + system (s)" "${CPU[$name]}" "" ""
    row "  $name's own CPU time during that run (s)" "${SERVER_CPU[$name]}" "" ""
    # The floors: that run's work spread perfectly over the cores, with and without gdx's own.
    floor=$(calc "${MACHINE_CPU[$name]} / $CORES")
    floor_others=$(calc "(${MACHINE_CPU[$name]} - ${CPU[$name]}) / $CORES")
    row "  all processes' CPU time during that run (s)" "${MACHINE_CPU[$name]}" "" ""
    row "  floor: that CPU over $CORES cores (s); gdx / floor" "$floor; $(calc "${WALL[$name]} / $floor")x" "" ""
    row "  floor without gdx's CPU (s); over psql \\copy" \
        "$floor_others; $(calc "$floor_others / $PSQL_WALL")x" "" "(any loader, this server)"
    row "  context: $name's own CopyObject / GET of the object (s)" "${SERVER_COPY[$name]} / ${SERVER_GET[$name]}" "" ""
    row "gdx / psql \\copy, $name" "${ratio}x" "$target" "$v_ratio"
    row "gdx peak RSS, $name (MiB)" "$rss" "<= 64" "$v_rss"
    row "rows loaded, $name / rows in the file" "${ROWS_IN[$name]}/$ROWS" "equal" "$v_rows"
done
v_same=PASS; [[ "$PSQL_ROWS" == "$ROWS" && "$SAME" == 0 ]] || v_same=FAIL
FAILS+="$v_same"
row "rows psql loaded; rows of gdx's table (s3rver) not in psql's" "$PSQL_ROWS; $SAME" "all; 0" "$v_same"
FILE_WALL=$(printf '%s\n' "${FILE_WALLS[@]}" | sort -g | head -1)
FILE_RATIO=$(calc "$FILE_WALL / $PSQL_WALL")
v_file=$(verdict "$FILE_RATIO" '<=' 1.05)
[[ "$FILE_ROWS" == "$ROWS" ]] || v_file=FAIL
FAILS+=" $v_file"
row "gdx, directory store -> PostgreSQL, best of 3 (s)" "$FILE_WALL" "" "(${FILE_WALLS[*]})"
row "gdx / psql \\copy, directory store" "${FILE_RATIO}x" "<= 1.05x" "$v_file"
rm -rf "$OUT/files"
[[ "$FAILS" == *FAIL* ]] && exit 1
exit 0
