#!/usr/bin/env bash
# One large object through gdx's S3 client and through boto3's transfer manager, on the same
# server in the same run, on both test servers (s3rver: objects in files; moto: in memory):
#   PUT: bench/tools/s3_transfer put (S3Writer: GDX_S3_UPLOAD_CONCURRENCY parts in flight)
#        vs boto3 upload_file (its default TransferConfig: 8 MB parts, 10 threads)
#   GET: bench/tools/s3_transfer get (S3RangeReader: GDX_S3_GET_CONCURRENCY ranged GETs)
#        vs boto3 download_file (same defaults)
# Each into/from a file on local disk, wall time and peak RSS (GNU time). Prints MB/s, the
# ratio gdx/boto3 (> 1 = gdx faster) and gdx's peak RSS. Targets: ratio >= 1, RSS <= 64 MiB.
# Heavy (a 2 GB object, twice per server): run it once, on a quiet machine.
#
# moto answers every ranged GET by reading the whole object first (a range costs as much as the
# object: docs/performance.md), so a 2 GB object through moto takes hours for either client;
# --servers s3rver leaves it out.
#
# usage: bench/s3_large.sh [--mb N] [--servers "s3rver moto"]   (default 2048 MiB, both)
set -uo pipefail

MIB=2048
SERVERS="s3rver moto"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${GDX_BENCH_BUILD:-$ROOT/build}"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mb) MIB=$2; shift 2 ;;
        --servers) SERVERS=$2; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "s3_large.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
OUT="$ROOT/bench/out/s3_large"
rm -rf "$OUT"
mkdir -p "$OUT"
die() { echo "s3_large: $*" >&2; exit 2; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
PY=python3  # has boto3 and moto
TOOL="$BUILD/bench/s3_transfer"
[[ -x /usr/bin/time ]] || die "GNU time is missing"
if [[ ! -x "$TOOL" ]]; then
    cmake --build "$BUILD" --target s3_transfer -j2 >"$OUT/build.log" 2>&1 ||
        die "building s3_transfer failed (configure $BUILD with -DGDX_BENCH=ON)"
fi

DATA="$ROOT/bench/out/large_${MIB}mib.bin"
if [[ ! -s "$DATA" ]]; then
    head -c $((64 << 20)) /dev/urandom >"$OUT/block.bin"
    for _ in $(seq $((MIB / 64))); do cat "$OUT/block.bin"; done >"$DATA"
    rm -f "$OUT/block.bin"
fi
BYTES=$(stat -c %s "$DATA")

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$OUT/s3rver-data" "$OUT"/*.dl; }
trap cleanup EXIT
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
"$ROOT/scripts/s3-servers.sh" install >/dev/null || die "could not install s3rver (npm)"
MOTO_PORT=$(free_port)
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >"$OUT/moto.log" 2>&1 &
PIDS+=($!)
S3RVER_PORT=$(free_port)
mkdir -p "$OUT/s3rver-data"
NODE_OPTIONS=--openssl-legacy-provider "$ROOT/node_modules/.bin/s3rver" -d "$OUT/s3rver-data" \
    -a 127.0.0.1 -p "$S3RVER_PORT" >"$OUT/s3rver.log" 2>&1 &
PIDS+=($!)
{ wait_port "$MOTO_PORT" && wait_port "$S3RVER_PORT"; } || die "the S3 servers did not start"
export AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true

use_server() {
    case "$1" in
        moto) export AWS_ENDPOINT_URL="http://127.0.0.1:$MOTO_PORT" AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench ;;
        s3rver) export AWS_ENDPOINT_URL="http://127.0.0.1:$S3RVER_PORT" AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER ;;
    esac
}
cat >"$OUT/boto.py" <<'PYEOF'
import sys, boto3
cmd, bucket, key, path = sys.argv[1:5]
s3 = boto3.client("s3")
if cmd == "bucket":
    s3.create_bucket(Bucket=bucket)
elif cmd == "delete":
    s3.delete_object(Bucket=bucket, Key=key)
elif cmd == "upload":
    s3.upload_file(path, bucket, key)
else:
    s3.download_file(bucket, key, path)
PYEOF
boto() { "$PY" "$OUT/boto.py" "$@"; }
# timed NAME CMD...: wall seconds and peak RSS (KiB) into $OUT/NAME.time
timed() {
    local name=$1; shift
    /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$@" >"$OUT/$name.log" 2>&1 ||
        die "$name failed (see $OUT/$name.log)"
}
wall() { cut -d' ' -f1 "$OUT/$1.time"; }
rss_mib() { calc "$(cut -d' ' -f2 "$OUT/$1.time") / 1024"; }
mbps() { calc "$BYTES / 1e6 / $(wall "$1")"; }

status=0
printf '\nobject: %s MB\n' "$(calc "$BYTES / 1e6")"
printf '%-7s %-4s %12s %12s %8s %14s %14s\n' server op "gdx MB/s" "boto3 MB/s" ratio "gdx RSS MiB" "boto3 RSS MiB"
for server in $SERVERS; do
    use_server "$server"
    boto bucket large x x || die "bucket on $server"
    timed "$server-put-gdx" "$TOOL" put "$DATA" large gdx.bin
    timed "$server-put-boto" "$PY" "$OUT/boto.py" upload large boto.bin "$DATA"
    boto delete large boto.bin x
    sync
    timed "$server-get-gdx" "$TOOL" get large gdx.bin "$OUT/gdx.dl"
    cmp -s "$DATA" "$OUT/gdx.dl" || { echo "$server: gdx's download differs from the file"; status=1; }
    rm -f "$OUT/gdx.dl"
    timed "$server-get-boto" "$PY" "$OUT/boto.py" download large gdx.bin "$OUT/boto.dl"
    rm -f "$OUT/boto.dl"
    boto delete large gdx.bin x
    for op in put get; do
        g="$server-$op-gdx"; b="$server-$op-boto"
        ratio=$(calc "$(wall "$b") / $(wall "$g")")
        printf '%-7s %-4s %12s %12s %8s %14s %14s\n' "$server" "$op" "$(mbps "$g")" "$(mbps "$b")" \
            "${ratio}x" "$(rss_mib "$g")" "$(rss_mib "$b")"
        awk "BEGIN { exit !($ratio >= 1 && $(rss_mib "$g") <= 64) }" || status=1
    done
done
[[ $status == 0 ]] && echo "verdict: PASS" || echo "verdict: FAIL (a ratio < 1, an RSS > 64 MiB or a bad download)"
exit $status
