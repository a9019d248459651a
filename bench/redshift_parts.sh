#!/usr/bin/env bash
# Redshift part writing on one core: a real batch (a generated call-centre object transformed by
# gdx's own data path, bench/tools/transform_throughput --out) is cut into parts at row ends and
# zstd-compressed by warehouse::redshift::PartedBatchWriter into a store that discards the bytes,
# pinned to one CPU (taskset -c 0). Prints the input throughput (best of three) and every part's
# size in and out. Target: >= 300 MB/s of input; every part <= 125 MB stored, and >= 1 MB unless
# the batch is smaller than the slices need.
#
# usage: bench/redshift_parts.sh [--mb N] [--slices N]   (default 500 MB, 4 slices)
set -uo pipefail

MB=500
SLICES=4
SEED=20240105
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${GDX_BENCH_BUILD:-$ROOT/build-bench}"  # a build with -DGDX_BENCH=ON
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mb) MB=$2; shift 2 ;;
        --slices) SLICES=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "redshift_parts.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
BENCH="$ROOT/bench"
OUT="$BENCH/out/redshift_parts"
mkdir -p "$OUT"
die() { echo "redshift_parts: $*" >&2; exit 2; }

[[ -x "$BUILD/bench/redshift_parts_throughput" && -x "$BUILD/bench/transform_throughput" ]] ||
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGDX_TESTS=OFF -DGDX_BENCH=ON \
    -DCMAKE_CXX_FLAGS=-Wno-error=restrict >"$OUT/build.log" 2>&1 &&
    cmake --build "$BUILD" --target transform_throughput redshift_parts_throughput -j2 \
        >>"$OUT/build.log" 2>&1 || die "build failed (see $OUT/build.log)"

DATA="$BENCH/out/call_centre_${MB}mb_s$SEED.csv"
if [[ ! -s "$DATA" || "$BENCH/gen_call_centre.py" -nt "$DATA" ]]; then
    /usr/bin/python3 "$BENCH/gen_call_centre.py" --mb "$MB" --seed "$SEED" --out "$DATA" ||
        die "generation failed"
fi
BATCH="$OUT/batch_${MB}mb.txt"
if [[ ! -s "$BATCH" || "$DATA" -nt "$BATCH" ]]; then
    "$BUILD/bench/transform_throughput" "$BENCH/configs/call_centre_bench.json" "$DATA" \
        --ddl "$BENCH/configs/call_centre_bench.sql" --repeat 1 --out "$BATCH" >/dev/null ||
        die "writing the batch failed"
fi

taskset -c 0 "$BUILD/bench/redshift_parts_throughput" "$BATCH" --slices "$SLICES" --repeat 3 |
    tee "$OUT/result.txt"
result=$(grep '^RESULT' "$OUT/result.txt") || die "no result"
mbps=$(sed 's/.*mb_per_s=\([0-9.]*\).*/\1/' <<<"$result")
max_mb=$(sed 's/.*max_mb=\([0-9.]*\).*/\1/' <<<"$result")
verdict=PASS
awk "BEGIN { exit !($mbps >= 300 && $max_mb <= 125) }" || verdict=FAIL
echo "part writing: $mbps MB/s of input on one core (target >= 300), largest part $max_mb MB" \
    "(limit 125): $verdict"
[[ $verdict == PASS ]]
