#!/usr/bin/env bash
# S3 -> PostgreSQL end to end: `gdx s3-to-redshift --store s3:// --warehouse postgresql://`
# on a generated call-centre object held by moto_server (loopback), against `psql \copy` of
# the very batch file gdx wrote (downloaded from the store) into a fresh identical table.
# Targets: gdx wall <= 1.3x psql \copy; gdx peak RSS <= 64 MiB.
# Starts moto and a throw-away PostgreSQL cluster (scripts/pg-cluster.sh), stops both at exit.
# Exit 1 when a target FAILs, 2 when the run itself fails.
#
# usage: bench/pg_e2e.sh [--mb N] [--gdx PATH]   (default 200 MB, build-bench/gdx)
set -uo pipefail

MB=200
SEED=20240105
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GDX="$ROOT/build-bench/gdx"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mb) MB=$2; shift 2 ;;
        --gdx) GDX=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "pg_e2e.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

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
MOTO_PID=""
PG_DIR="$OUT/pg"
cleanup() {
    [[ -n "$MOTO_PID" ]] && kill "$MOTO_PID" 2>/dev/null
    "$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1
}
trap cleanup EXIT
PORT=$("$PYS3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$PORT" >"$OUT/moto.log" 2>&1 &
MOTO_PID=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
PG=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR") || die "could not start PostgreSQL"
export AWS_ENDPOINT_URL="http://127.0.0.1:$PORT" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
unset GDX_STORE GDX_WAREHOUSE
echo "moto: $AWS_ENDPOINT_URL; PostgreSQL: $PG"

BUCKET=$("$PYS3" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bucket"])' "$CONFIG")
KEY="client/cfms_sbc/ESB_Data-bench.csv"
BATCH_KEY="processed/batch/$KEY"
# s3 COMMAND ARGS: boto3, the independent client
s3() {
    "$PYS3" - "$@" <<'EOF'
import sys, boto3
from boto3.s3.transfer import TransferConfig
cmd, bucket, key, path = sys.argv[1:5]
s3 = boto3.client("s3")
cfg = TransferConfig(multipart_threshold=64 << 20, multipart_chunksize=64 << 20)
if cmd == "upload":
    s3.create_bucket(Bucket=bucket)
    s3.upload_file(path, bucket, key, Config=cfg)
else:
    s3.download_file(bucket, key, path, Config=cfg)
EOF
}
say "uploading the object to moto"
s3 upload "$BUCKET" "$KEY" "$DATA" || die "upload failed"
"$GDX" sql --warehouse "$PG" --log-dir "$OUT/logs" -f "$DDL" >"$OUT/ddl.txt" 2>&1 ||
    { cat "$OUT/ddl.txt"; die "creating $TABLE failed"; }

# ---------------------------------------------------------------- gdx
say "gdx s3-to-redshift: moto -> PostgreSQL"
(cd "$OUT/work" && /usr/bin/time -f '%M %e' -o "$OUT/gdx_time.txt" \
    "$GDX" s3-to-redshift "$CONFIG" --store s3:// --warehouse "$PG" --log-dir "$OUT/logs" \
    >"$OUT/gdx_stdout.txt" 2>"$OUT/gdx_stderr.txt")
rc=$?
tail -n 12 "$OUT/gdx_stdout.txt"
[[ $rc -eq 0 ]] || { tail -n 20 "$OUT/gdx_stderr.txt"; die "gdx exited $rc"; }
read -r GDX_RSS_KB GDX_WALL < <(tail -1 "$OUT/gdx_time.txt")
count() { psql "$PG" -XAtc "SELECT count(*) FROM $1"; }
GDX_ROWS=$(count "$TABLE")
echo "exit 0; wall $GDX_WALL s; peak RSS $GDX_RSS_KB KiB; rows in $TABLE: $GDX_ROWS (file: $ROWS)"

# ---------------------------------------------------------------- context
# How much of the S3 run is moto (a Python server): one plain GET of the object; and the
# same load from a directory store, which leaves only gdx and PostgreSQL.
say "context: moto GET of the object (curl), and gdx from a directory store"
t0=$(date +%s.%N)
curl -sf -o /dev/null --aws-sigv4 aws:amz:us-east-1:s3 --user bench:bench \
    -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    "$AWS_ENDPOINT_URL/$BUCKET/$KEY" || echo "curl GET failed"
MOTO_GET=$(calc "$(date +%s.%N) - $t0")
mkdir -p "$OUT/files/$BUCKET/client/cfms_sbc"
ln "$DATA" "$OUT/files/$BUCKET/$KEY" 2>/dev/null || cp "$DATA" "$OUT/files/$BUCKET/$KEY"
psql "$PG" -Xq -c "CREATE DATABASE filerun" && FILE_PG="${PG%/*}/filerun"
"$GDX" sql --warehouse "$FILE_PG" --log-dir "$OUT/logs" -f "$DDL" >/dev/null 2>&1
(cd "$OUT/work" && /usr/bin/time -f '%M %e' -o "$OUT/file_time.txt" \
    "$GDX" s3-to-redshift "$CONFIG" --store "file:$OUT/files" --warehouse "$FILE_PG" \
    --log-dir "$OUT/logs" >/dev/null 2>"$OUT/file_stderr.txt") || tail -5 "$OUT/file_stderr.txt"
read -r FILE_RSS_KB FILE_WALL < <(tail -1 "$OUT/file_time.txt")
rm -rf "$OUT/files"
echo "moto GET: $MOTO_GET s; gdx from a directory store: $FILE_WALL s, peak RSS $FILE_RSS_KB KiB"

# ---------------------------------------------------------------- psql \copy
say "psql \\copy of the same batch file into $COPY_TABLE"
s3 download "$BUCKET" "$BATCH_KEY" "$OUT/batch.txt" || die "downloading $BATCH_KEY failed"
psql "$PG" -Xq -v ON_ERROR_STOP=1 -c "CREATE SCHEMA bench_copy" \
    -c "CREATE TABLE $COPY_TABLE (LIKE $TABLE INCLUDING ALL)" || die "creating $COPY_TABLE failed"
/usr/bin/time -f '%M %e' -o "$OUT/psql_time.txt" psql "$PG" -Xq -v ON_ERROR_STOP=1 -c \
    "\\copy $COPY_TABLE FROM '$OUT/batch.txt' WITH (FORMAT text, DELIMITER '|', NULL '\\N', HEADER true)" ||
    die "psql \\copy failed"
read -r PSQL_RSS_KB PSQL_WALL < <(tail -1 "$OUT/psql_time.txt")
PSQL_ROWS=$(count "$COPY_TABLE")
echo "wall $PSQL_WALL s; rows in $COPY_TABLE: $PSQL_ROWS"
SAME=$(psql "$PG" -XAtc "SELECT count(*) FROM (SELECT * FROM $TABLE EXCEPT ALL SELECT * FROM $COPY_TABLE) d")
rm -f "$OUT/batch.txt"

# ---------------------------------------------------------------- summary
RATIO=$(calc "$GDX_WALL / $PSQL_WALL")
RSS_MIB=$(calc "$GDX_RSS_KB / 1024")
verdict() { (( $(awk -v v="$1" -v l="$3" "BEGIN{print (v $2 l)}") )) && echo PASS || echo FAIL; }
V_RATIO=$(verdict "$RATIO" '<=' 1.3)
V_RSS=$(verdict "$RSS_MIB" '<=' 64)
V_ROWS=PASS
[[ "$GDX_ROWS" == "$ROWS" && "$PSQL_ROWS" == "$ROWS" && "$SAME" == 0 ]] || V_ROWS=FAIL
say "results ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-52s %14s %10s  %s\n' "figure" "measured" "target" "verdict"
printf '%-52s %14s %10s  %s\n' "gdx s3-to-redshift, moto -> PostgreSQL (s)" "$GDX_WALL" "" ""
printf '%-52s %14s %10s  %s\n' "psql \\copy of gdx's batch file (s)" "$PSQL_WALL" "" ""
printf '%-52s %14s %10s  %s\n' "gdx / psql \\copy" "${RATIO}x" "<= 1.3x" "$V_RATIO"
printf '%-52s %14s %10s  %s\n' "  context: one curl GET of the object from moto (s)" "$MOTO_GET" "" ""
printf '%-52s %14s %10s  %s\n' "  context: gdx, directory store -> PostgreSQL (s)" "$FILE_WALL" "" "$(calc "$FILE_WALL / $PSQL_WALL")x"
printf '%-52s %14s %10s  %s\n' "gdx peak RSS (MiB)" "$RSS_MIB" "<= 64" "$V_RSS"
printf '%-52s %14s %10s  %s\n' "rows: file / gdx / psql, rows differing" "$ROWS/$GDX_ROWS/$PSQL_ROWS, $SAME" "equal, 0" "$V_ROWS"
[[ "$V_RATIO $V_RSS $V_ROWS" == *FAIL* ]] && exit 1
exit 0
