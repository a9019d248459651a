#!/usr/bin/env bash
# Many small objects under one prefix, append mode: `gdx s3-to-redshift` of N objects of about
# K KB (call-centre rows) on a directory store + SQLite (the embedded default) and on moto +
# PostgreSQL, each with prefetching on (the default) and off (GDX_PREFETCH_MB=0), interleaved in
# the same run. Prints objects per second and the on/off ratio. Target: >= 500 objects/s on the
# embedded default with prefetching on. Every run starts from a fresh database and destination
# prefix and must load every row. Exit 1 when the target FAILs, 2 when the run itself fails.
#
# With --latency-ms MS the S3 runs go through tests/fakes/fault_proxy.py, which holds every
# request MS milliseconds before forwarding it to moto: S3's per-request latency, which the
# prefetch is meant to hide and which loopback does not have.
#
# usage: bench/many_objects.sh [--objects N] [--kb K] [--s3-objects N] [--gdx PATH] [--no-s3]
#                              [--latency-ms MS]
#        (defaults: 10000 objects of 10 KB; 2000 of them on S3; no added latency)
set -uo pipefail

N=10000
KB=10
S3_N=2000
S3=1
LATENCY_MS=0
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GDX="$ROOT/build-bench/gdx"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --objects) N=$2; shift 2 ;;
        --kb) KB=$2; shift 2 ;;
        --s3-objects) S3_N=$2; shift 2 ;;
        --gdx) GDX=$2; shift 2 ;;
        --no-s3) S3=0; shift ;;
        --latency-ms) LATENCY_MS=$2; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "many_objects.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
(( S3_N > N )) && S3_N=$N
# gdx runs from a work directory: a relative --gdx is taken from where the script was started.
[[ "$GDX" == /* ]] || GDX="$PWD/$GDX"

BENCH="$ROOT/bench"
# shellcheck source=lib/call_centre_objects.sh
source "$BENCH/lib/call_centre_objects.sh"
OUT="$BENCH/out/many_objects"
DDL="$BENCH/configs/call_centre_bench.sql"
TABLE=servicebc.call_centre
PYS3=python3
[[ -n "$OUT" && "$OUT" == */bench/out/many_objects ]] && rm -rf "$OUT"
mkdir -p "$OUT/logs" "$OUT/work"

say() { printf '\n== %s\n' "$*"; }
die() { echo "many_objects: $*" >&2; exit 2; }
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
[[ -x "$GDX" ]] || die "no gdx at $GDX (build it, or --gdx PATH)"

# ---------------------------------------------------------------- data
# N objects cut from one generated call-centre sample, each a header and about K KB of rows.
say "generating $N objects of about $KB KB"
call_centre_sample "$OUT/sample.csv" || die "generation failed"
BUCKET=bench-many
PREFIX=client/many
STORE="$OUT/store"
ROWS_OF=$(cut_call_centre_objects "$OUT/sample.csv" "$STORE/$BUCKET/$PREFIX" "$N" "$KB" "$S3_N") ||
    die "cutting the objects failed"
read -r ROWS S3_ROWS <<<"$ROWS_OF"
echo "$N objects, $(du -sb "$STORE" | cut -f1) bytes, $ROWS rows"

# config DEST: the bench config in append mode, reading $PREFIX, writing under DEST.
config() { call_centre_config "$1" "$BUCKET"; }

declare -A RATE
# timed NAME N ARGS...: runs gdx s3-to-redshift ARGS (with the caller's environment) and
# keeps the best objects/s of the runs named NAME.
timed() {
    local name=$1 n=$2; shift 2
    local t0 t1 wall rate
    t0=$(date +%s.%N)
    (cd "$OUT/work" && "$GDX" s3-to-redshift "$@" -q >"$OUT/out_$name.txt" 2>"$OUT/err_$name.txt") ||
        { tail -5 "$OUT/err_$name.txt"; die "gdx failed ($name)"; }
    t1=$(date +%s.%N)
    wall=$(calc "$t1 - $t0" 2)
    rate=$(calc "$n / $wall" 1)  # one decimal: a slow server runs at a few objects/s
    echo "$name: $n objects in $wall s = $rate objects/s (load average $(cut -d' ' -f1 /proc/loadavg))"
    if [[ -z "${RATE[$name]:-}" ]] || awk "BEGIN { exit !($rate > ${RATE[$name]}) }"; then
        RATE[$name]=$rate
    fi
}

# ---------------------------------------------------------------- directory store + SQLite
run_embedded() {  # PREFETCH_MB RUN
    local db="$OUT/work/wh-$1-$2.db" dest="processed-$1-$2" cfg="$OUT/cfg-emb-$1-$2.json"
    config "$dest" >"$cfg"
    "$GDX" sql --warehouse "sqlite:$db" --log-dir "$OUT/logs" -f "$DDL" >/dev/null || die "DDL failed"
    sync
    GDX_PREFETCH_MB=$1 timed "embedded-pf$1" "$N" "$cfg" --store "file:$STORE" \
        --warehouse "sqlite:$db" --log-dir "$OUT/logs"
    local rows
    rows=$("$GDX" sql --warehouse "sqlite:$db" --log-dir "$OUT/logs" --json -c "SELECT count(*) AS c FROM $TABLE")
    [[ "$rows" == *"\"c\":$ROWS"* || "$rows" == *"\"c\": $ROWS"* ]] ||
        die "embedded run loaded $rows rows, expected $ROWS"
    rm -rf "$db" "$db-wal" "$db-shm" "${STORE:?}/$BUCKET/$dest"
}
for run in 1 2; do
    say "directory store + SQLite, run $run (prefetch off, then on)"
    run_embedded 0 "$run"
    run_embedded 8 "$run"
done

# ---------------------------------------------------------------- moto + PostgreSQL
if [[ $S3 == 1 ]]; then
    PIDS=()
    PG_DIR="$OUT/pg"
    cleanup() {
        for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
        "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1
    }
    trap cleanup EXIT
    free_port() { "$PYS3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
    wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
    MOTO_PORT=$(free_port)
    moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$OUT/moto.log" 2>&1 &
    PIDS+=($!)
    wait_port "$MOTO_PORT" || die "moto did not start"
    PG=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR") || die "could not start PostgreSQL"
    ENDPOINT_PORT=$MOTO_PORT
    if (( LATENCY_MS > 0 )); then
        ENDPOINT_PORT=$(free_port)
        "$PYS3" "$ROOT/tests/fakes/fault_proxy.py" "$ENDPOINT_PORT" "http://127.0.0.1:$MOTO_PORT" \
            >"$OUT/proxy.log" 2>&1 &
        PIDS+=($!)
        wait_port "$ENDPOINT_PORT" || die "the latency proxy did not start"
        curl -sf -X POST "http://127.0.0.1:$ENDPOINT_PORT/__faults" -d "{\"rules\": [{\"method\": \"*\",
            \"count\": 1000000000, \"action\": \"delay\", \"seconds\": $(calc "$LATENCY_MS / 1000" 3)}]}" \
            >/dev/null || die "setting the proxy's latency failed"
        echo "S3 requests go through a proxy that adds $LATENCY_MS ms to each"
    fi
    export AWS_ENDPOINT_URL="http://127.0.0.1:$ENDPOINT_PORT" AWS_ACCESS_KEY_ID=bench \
        AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
    say "uploading $S3_N objects to moto"
    AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" \
        "$PYS3" - "$STORE/$BUCKET/$PREFIX" "$BUCKET" "$PREFIX" "$S3_N" <<'UPLOAD' || die "upload failed"
import boto3, os, sys
folder, bucket, prefix, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
s3 = boto3.client("s3")
s3.create_bucket(Bucket=bucket)
for name in sorted(os.listdir(folder))[:n]:
    s3.upload_file(os.path.join(folder, name), bucket, f"{prefix}/{name}")
UPLOAD
    run_s3() {  # PREFETCH_MB RUN
        local db="run_$1_$2" dest="processed-$1-$2" cfg="$OUT/cfg-s3-$1-$2.json"
        config "$dest" >"$cfg"
        psql "$PG" -Xq -c "CREATE DATABASE $db" || die "creating $db failed"
        local url="${PG%/*}/$db"
        "$GDX" sql --warehouse "$url" --log-dir "$OUT/logs" -f "$DDL" >/dev/null || die "DDL failed"
        GDX_PREFETCH_MB=$1 timed "s3pg-pf$1" "$S3_N" "$cfg" --store s3:// --warehouse "$url" \
            --log-dir "$OUT/logs"
        local rows
        rows=$(psql "$url" -XAtc "SELECT count(*) FROM $TABLE")
        [[ "$rows" == "$S3_ROWS" ]] || die "S3 run loaded $rows rows, expected $S3_ROWS"
    }
    for run in 1 2; do
        say "moto + PostgreSQL, run $run (prefetch off, then on)"
        run_s3 0 "$run"
        run_s3 8 "$run"
    done
fi

# ---------------------------------------------------------------- summary
say "results ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
row() { printf '%-44s %12s %10s  %s\n' "$@"; }
row "figure (best of 2)" "objects/s" "target" "verdict"
ON=${RATE[embedded-pf8]} OFF=${RATE[embedded-pf0]}
VERDICT=$(awk "BEGIN { exit !($ON >= 500) }" && echo PASS || echo FAIL)
row "directory + SQLite, prefetch on" "$ON" ">= 500" "$VERDICT"
row "directory + SQLite, prefetch off" "$OFF" "" ""
row "  on / off" "$(calc "$ON / $OFF" 2)x" "" ""
if [[ $S3 == 1 ]]; then
        LAT=$( (( LATENCY_MS > 0 )) && echo " (+$LATENCY_MS ms a request)")
    row "moto + PostgreSQL$LAT, prefetch on" "${RATE[s3pg-pf8]}" "" ""
    row "moto + PostgreSQL$LAT, prefetch off" "${RATE[s3pg-pf0]}" "" ""
    row "  on / off" "$(calc "${RATE[s3pg-pf8]} / ${RATE[s3pg-pf0]}" 2)x" "" ""
fi
[[ $VERDICT == PASS ]] || exit 1
exit 0
