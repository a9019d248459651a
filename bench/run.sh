#!/usr/bin/env bash
# One command for the performance targets (bench/README.md, docs/performance.md):
#   gdx transform >= 500 MB/s on one core, >= 40x the pandas original,
#   peak RSS <= 64 MiB for a full `gdx s3-to-redshift` run on a 1 GB object.
# Builds gdx (Release, build-bench/), generates the data (cached in bench/out/), measures,
# prints a PASS/FAIL table. A part that cannot run yet (tool or subcommand missing) is
# reported as n/a instead of stopping the run. Exit 1 when a target FAILs, else 0.
#
# usage: bench/run.sh [--mb N] [--sample-mb N] [--repeat N] [--no-build] [--skip-full] [--pg-e2e]
#   --pg-e2e also runs bench/pg_e2e.sh (200 MB object: moto -> gdx -> PostgreSQL vs psql \copy)
set -uo pipefail

MB=1000         # size of the big object (MB = 10^6 bytes)
SAMPLE_MB=100   # pandas runs on this smaller sample (throughput is per MB, so comparable)
REPEAT=3        # passes of the timed transform and of cat; the best one counts
SEED=20240105
BUILD_IT=1
FULL_RUN=1
PG_E2E=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mb) MB=$2; shift 2 ;;
        --sample-mb) SAMPLE_MB=$2; shift 2 ;;
        --repeat) REPEAT=$2; shift 2 ;;
        --no-build) BUILD_IT=0; shift ;;
        --skip-full) FULL_RUN=0; shift ;;
        --pg-e2e) PG_E2E=1; shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if (( $(awk -v s="$SAMPLE_MB" -v m="$MB" 'BEGIN{print (s > m)}') )); then SAMPLE_MB=$MB; fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
OUT="$BENCH/out"
BUILD="$ROOT/build-bench"
PY=/usr/bin/python3  # Debian's python3-pandas lives here
# The original services' configs (not in this repository); the cmslite benchmark needs them.
ORIGINALS="${GDX_ORIGINAL_CONFIGS:-}"
CMS_ORIGINAL="$ORIGINALS/cmslitemetadata_to_redshift"
CONFIG="$BENCH/configs/call_centre_bench.json"
DDL="$BENCH/configs/call_centre_bench.sql"
GDX="$BUILD/gdx"
TOOL="$BUILD/bench/transform_throughput"
mkdir -p "$OUT"

say() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
# calc EXPR: awk arithmetic, printed with 2 decimals
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
# field KEY FILE: value of KEY=... on the last RESULT line
field() { grep '^RESULT ' "$2" 2>/dev/null | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
is_num() { [[ "${1:-}" =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
# per_cpu_second BYTES CPU_SECONDS: MB per CPU second (n/a when unknown)
per_cpu_second() {
    is_num "$2" || { echo "n/a"; return; }
    awk -v b="$1" -v c="$2" 'BEGIN { if (c > 0) printf "%.2f", b / 1e6 / c; else print "n/a" }'
}

# ---------------------------------------------------------------- prerequisites
if [[ ! -x /usr/bin/time ]]; then
    say "installing GNU time (for peak RSS)"
    (apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; }) ||
        echo "could not install 'time': peak RSS will be n/a"
fi
if ! "$PY" -c 'import pandas' 2>/dev/null; then
    echo "note: $PY has no pandas (apt-get install python3-pandas): pandas baseline will be n/a"
fi

# ---------------------------------------------------------------- build
if (( BUILD_IT )); then
    say "building gdx and bench tools (Release, $BUILD; log in $OUT/build.log)"
    : >"$OUT/build.log"
    # -Wno-error=restrict: GCC 12 reports false -Wrestrict positives at -O3 inside
    # std::string (GCC PR 105329); the warning still shows, it just does not stop the build.
    cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGDX_TESTS=OFF \
        -DCMAKE_CXX_FLAGS=-Wno-error=restrict >>"$OUT/build.log" 2>&1 ||
        echo "cmake configure failed (see build.log)"
    for target in gdx transform_throughput; do
        if cmake --build "$BUILD" --target "$target" -j2 >>"$OUT/build.log" 2>&1; then
            echo "built $target"
        else
            echo "could not build $target (see $OUT/build.log): its figures will be n/a"
        fi
    done
fi

# ---------------------------------------------------------------- data
# gen NAME MB SCRIPT: cached file, regenerated when the generator is newer than it
gen() {
    local file="$OUT/$1_${2}mb_s$SEED.csv"
    if [[ ! -s "$file" || "$3" -nt "$file" ]]; then
        local t0; t0=$(now)
        "$PY" "$3" --mb "$2" --seed "$SEED" --out "$file" >&2 || return 1
        printf 'generated %s in %.1f s\n' "$file" "$(calc "$(now) - $t0")" >&2
    fi
    echo "$file"
}
say "data (cached in $OUT)"
BIG=$(gen call_centre "$MB" "$BENCH/gen_call_centre.py") || { echo "data generation failed"; exit 1; }
SAMPLE=$(gen call_centre "$SAMPLE_MB" "$BENCH/gen_call_centre.py") || { echo "data generation failed"; exit 1; }
BIG_BYTES=$(stat -c %s "$BIG")
BIG_MB=$(calc "$BIG_BYTES / 1e6")
BIG_ROWS=$(( $(wc -l <"$BIG") - 1 ))  # the generator writes no line breaks inside fields
echo "object: $BIG ($BIG_MB MB, $BIG_ROWS rows); pandas sample: $SAMPLE"

# ---------------------------------------------------------------- cat: the I/O limit
say "cat file > /dev/null (page cache warm; best of $REPEAT)"
cat "$BIG" >/dev/null
CAT_MBPS=""
for ((i = 0; i < REPEAT; i++)); do
    t0=$(now); cat "$BIG" >/dev/null; t1=$(now)
    r=$(calc "$BIG_BYTES / 1e6 / ($t1 - $t0)")
    echo "pass $((i + 1)): $r MB/s"
    if [[ -z "$CAT_MBPS" ]] || (( $(awk -v a="$r" -v b="$CAT_MBPS" 'BEGIN{print (a > b)}') )); then CAT_MBPS=$r; fi
done

# ---------------------------------------------------------------- gdx transform
say "gdx transform, one thread, object -> batch (discarded); best of $REPEAT"
GDX_MBPS="n/a"; GDX_CPU_MBPS="n/a"
if [[ -x "$TOOL" ]]; then
    if "$TOOL" "$CONFIG" "$BIG" --ddl "$DDL" --repeat "$REPEAT" 2>&1 | tee "$OUT/transform.txt"; then
        GDX_MBPS=$(field mb_per_s "$OUT/transform.txt")
        GDX_CPU_MBPS=$(per_cpu_second "$BIG_BYTES" "$(field cpu_seconds "$OUT/transform.txt")")
        rows=$(field rows "$OUT/transform.txt")
        [[ "$rows" == "$BIG_ROWS" ]] || echo "WARNING: transform wrote $rows rows, the file has $BIG_ROWS"
    else
        echo "transform_throughput failed"
    fi
else
    echo "n/a: $TOOL not built (needs src/jobs/transform_object.hpp)"
fi
is_num "$GDX_MBPS" || GDX_MBPS="n/a"

# ---------------------------------------------------------------- pandas baseline
say "pandas baseline (the original's transform) on the ${SAMPLE_MB} MB sample"
PANDAS_MBPS="n/a"; PANDAS_CPU_MBPS="n/a"
PANDAS_RSS="n/a"
TIME=(); [[ -x /usr/bin/time ]] && TIME=(/usr/bin/time -f '%M' -o "$OUT/pandas_time.txt")
if "${TIME[@]}" "$PY" "$BENCH/pandas_baseline.py" "$CONFIG" "$SAMPLE" "$OUT/pandas_batch.csv" 2>&1 | tee "$OUT/pandas.txt"; then
    [[ -s "$OUT/pandas_time.txt" ]] && PANDAS_RSS=$(calc "$(tail -1 "$OUT/pandas_time.txt") / 1024")
    PANDAS_MBPS=$(field mb_per_s "$OUT/pandas.txt")
    PANDAS_CPU_MBPS=$(per_cpu_second "$(stat -c %s "$SAMPLE")" "$(field cpu_seconds "$OUT/pandas.txt")")
fi
is_num "$PANDAS_MBPS" || PANDAS_MBPS="n/a"

# ---------------------------------------------------------------- full run
# has_subcommand NAME: listed under "Subcommands:" in gdx --help (`gdx NAME --help` is no
# test: CLI11 answers --help with exit 0 even for an unknown subcommand)
has_subcommand() {
    [[ -x "$GDX" ]] && "$GDX" --help 2>/dev/null | sed -n '/^Subcommands:/,$p' | grep -qE "^ +$1( |$)"
}
RSS_KB="n/a"; WALL="n/a"; LOADED="n/a"
if (( FULL_RUN )) && has_subcommand s3-to-redshift && has_subcommand sql; then
    say "full run: gdx s3-to-redshift, file store + SQLite, $BIG_MB MB object"
    FULL="$OUT/full"
    rm -rf "$FULL"
    BUCKET=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bucket"])' "$CONFIG")
    OBJ_DIR="$FULL/store/$BUCKET/client/cfms_sbc"
    mkdir -p "$OBJ_DIR" "$FULL/work"
    cp "$BIG" "$OBJ_DIR/ESB_Data-bench.csv"
    DB="$FULL/warehouse.db"
    if ! "$GDX" sql --warehouse "sqlite:$DB" --log-dir "$FULL/logs" -f "$DDL" >"$FULL/ddl.txt" 2>&1; then
        echo "gdx sql -f $DDL failed:"; cat "$FULL/ddl.txt"
    fi
    (cd "$FULL/work" && /usr/bin/time -f '%M %e' -o "$FULL/time.txt" \
        "$GDX" s3-to-redshift --store "file:$FULL/store" --warehouse "sqlite:$DB" \
        --log-dir "$FULL/logs" "$CONFIG" \
        >"$FULL/stdout.txt" 2>"$FULL/stderr.txt")
    rc=$?
    tail -n 20 "$FULL/stdout.txt"
    if [[ $rc -eq 0 && -s "$FULL/time.txt" ]]; then
        read -r RSS_KB WALL < <(tail -1 "$FULL/time.txt")
        LOADED=$("$GDX" sql --warehouse "sqlite:$DB" --log-dir "$FULL/logs" --json \
            -c 'SELECT COUNT(*) AS n FROM servicebc.call_centre' 2>/dev/null |
            "$PY" -c 'import json,sys; print(json.loads(sys.stdin.readline())["n"])' 2>/dev/null) || LOADED="n/a"
        echo "exit 0; peak RSS $RSS_KB KiB; wall $WALL s; rows in table: $LOADED (file: $BIG_ROWS)"
        # The store (object, batch, good copy) and the database are ~4 GB: keep only the logs.
        rm -rf "$FULL/store" "$DB"
    else
        echo "gdx s3-to-redshift exited $rc; stderr:"; tail -n 20 "$FULL/stderr.txt"
    fi
else
    say "full run: n/a (gdx s3-to-redshift/sql not available yet, or --skip-full)"
fi

# ---------------------------------------------------------------- cmslite (later benchmark)
CMS_WALL="n/a"; CMS_RSS="n/a"; CMS_SPLIT_MBPS="n/a"; CMS_SPLIT_CPU_MBPS="n/a"
if (( FULL_RUN )) && [[ -n $ORIGINALS && -f $CMS_ORIGINAL/cmslite_gdx.json ]] &&
    has_subcommand cmslite-metadata && has_subcommand sql; then
    say "cmslite-metadata on a ~70 MB export (original: 20-30 minutes), best of $REPEAT"
    CMS_FILE=$(gen cmslite 70 "$BENCH/gen_cmslite.py")
    CMS_DDL="$CMS_ORIGINAL/ddl"
    CMS="$OUT/cmslite"
    # The shipped post-load SQL is Redshift-only (docs/differences.md): the production config
    # with a one-statement post-load file instead, so that the run commits on SQLite.
    mkdir -p "$CMS/cfg/ddl"
    echo "DELETE FROM {dbschema}.microservice_log WHERE 1 = 0;" >"$CMS/cfg/ddl/bench_post_load.sql"
    "$PY" -c 'import json,sys; c=json.load(open(sys.argv[1])); c["sql_query"]="bench_post_load.sql"; json.dump(c, open(sys.argv[2], "w"), indent=1)' \
        "$CMS_ORIGINAL/cmslite_gdx.json" "$CMS/cfg/cmslite_gdx.json"
    CMS_CFG="$CMS/cfg/cmslite_gdx.json"
    BUCKET=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bucket"])' "$CMS_CFG")
    # The full run before leaves gigabytes of dirty pages; flush them first so that their
    # writeback does not land on this run's syncs.
    sync
    for ((i = 1; i <= REPEAT; i++)); do
        rm -rf "$CMS/store" "$CMS/work" "$CMS/logs" "$CMS/warehouse.db" "$CMS/time.txt"
        mkdir -p "$CMS/store/$BUCKET/client/cmslite_gdx" "$CMS/work"
        cp "$CMS_FILE" "$CMS/store/$BUCKET/client/cmslite_gdx/cmslite.csv.bench"
        "$GDX" sql --warehouse "sqlite:$CMS/warehouse.db" --log-dir "$CMS/logs" -f "$CMS_DDL/cmslite.metadata.sql" >"$CMS/ddl.txt" 2>&1 ||
            { echo "creating the cmslite tables failed:"; cat "$CMS/ddl.txt"; }
        (cd "$CMS/work" && /usr/bin/time -f '%M %e' -o "$CMS/time.txt" \
            "$GDX" cmslite-metadata --store "file:$CMS/store" --warehouse "sqlite:$CMS/warehouse.db" \
            --log-dir "$CMS/logs" "$CMS_CFG" \
            >"$CMS/stdout.txt" 2>"$CMS/stderr.txt")
        rc=$?
        if [[ $rc -ne 0 || ! -s "$CMS/time.txt" ]]; then
            echo "gdx cmslite-metadata exited $rc; stderr:"; tail -n 20 "$CMS/stderr.txt"
            break
        fi
        read -r rss wall < <(tail -1 "$CMS/time.txt")
        # The job logs "... batch objects in S s (X MB/s), C CPU s (Y MB/s)".
        read -r split_mbps split_cpu_mbps < <(grep -ho 'batch objects in .*' "$CMS/stderr.txt" "$CMS"/logs/*.log 2>/dev/null |
            head -1 | sed -E 's/[^(]*\(([0-9.]+) MB\/s\)[^(]*\(([0-9.]+) MB\/s\).*/\1 \2/')
        echo "pass $i: exit 0; peak RSS $rss KiB; wall $wall s;" \
            "split ${split_mbps:-?} MB/s (wall), ${split_cpu_mbps:-?} MB/s per CPU s"
        best() { is_num "$1" && { ! is_num "$2" || (( $(awk -v a="$1" -v b="$2" "BEGIN{print (a $3 b)}") )); }; }
        if best "$wall" "$CMS_WALL" '<'; then CMS_WALL=$wall; CMS_RSS=$rss; fi
        best "${split_mbps:-}" "$CMS_SPLIT_MBPS" '>' && CMS_SPLIT_MBPS=$split_mbps
        best "${split_cpu_mbps:-}" "$CMS_SPLIT_CPU_MBPS" '>' && CMS_SPLIT_CPU_MBPS=$split_cpu_mbps
    done
else
    say "cmslite-metadata: n/a (--skip-full, or GDX_ORIGINAL_CONFIGS does not name the originals' configs)"
fi

# ---------------------------------------------------------------- S3 -> PostgreSQL (optional)
PG_E2E_VERDICT="n/a (run with --pg-e2e)"
if (( PG_E2E )); then
    say "S3 -> PostgreSQL end to end (bench/pg_e2e.sh; its own table follows)"
    if "$BENCH/pg_e2e.sh" --gdx "$GDX"; then PG_E2E_VERDICT=PASS
    elif [[ $? -eq 1 ]]; then PG_E2E_VERDICT=FAIL
    else PG_E2E_VERDICT="n/a (pg_e2e.sh could not run)"; fi
fi

# ---------------------------------------------------------------- summary
ratio() { if is_num "$1" && is_num "$2"; then calc "$1 / $2"; else echo "n/a"; fi; }
# verdict VALUE OP LIMIT
verdict() {
    is_num "$1" || { echo "n/a"; return; }
    if (( $(awk -v v="$1" -v l="$3" "BEGIN{print (v $2 l)}") )); then echo PASS; else echo FAIL; fi
}
GDX_VS_PANDAS=$(ratio "$GDX_MBPS" "$PANDAS_MBPS")
GDX_VS_PANDAS_CPU=$(ratio "$GDX_CPU_MBPS" "$PANDAS_CPU_MBPS")
GDX_VS_CAT=$(ratio "$GDX_MBPS" "$CAT_MBPS")
RSS_MIB="n/a"; is_num "$RSS_KB" && RSS_MIB=$(calc "$RSS_KB / 1024")
CMS_RSS_MIB="n/a"; is_num "$CMS_RSS" && CMS_RSS_MIB=$(calc "$CMS_RSS / 1024")
V1=$(verdict "$GDX_MBPS" '>=' 500)
V2=$(verdict "$GDX_VS_PANDAS" '>=' 40)
V3=$(verdict "$RSS_MIB" '<=' 64)
V4=$(verdict "$CMS_WALL" '<=' 3)
V5=$(verdict "$CMS_SPLIT_MBPS" '>=' 300)
if is_num "$RSS_MIB" && [[ "$LOADED" != "$BIG_ROWS" ]]; then
    V3="FAIL (loaded $LOADED of $BIG_ROWS rows)"
fi
if is_num "$RSS_MIB" && (( $(awk -v m="$BIG_MB" 'BEGIN{print (m < 1000)}') )); then
    V3="$V3 (object < 1 GB)"
fi

x() { is_num "$1" && echo "${1}x" || echo "n/a"; }
say "results ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-48s %18s %12s  %s\n' "figure" "measured" "target" "verdict"
printf '%-48s %18s %12s  %s\n' "gdx transform, 1 thread, $BIG_MB MB (MB/s)" "$GDX_MBPS" ">= 500" "$V1"
printf '%-48s %18s %12s  %s\n' "pandas original, $SAMPLE_MB MB sample (MB/s)" "$PANDAS_MBPS" "" ""
printf '%-48s %18s %12s  %s\n' "pandas original, $SAMPLE_MB MB sample: peak RSS (MiB)" "$PANDAS_RSS" "" ""
printf '%-48s %18s %12s  %s\n' "gdx / pandas" "$(x "$GDX_VS_PANDAS")" ">= 40x" "$V2"
printf '%-48s %18s %12s  %s\n' "  same, per CPU second (MB/s gdx, pandas)" "$GDX_CPU_MBPS, $PANDAS_CPU_MBPS" "" "$(x "$GDX_VS_PANDAS_CPU")"
printf '%-48s %18s %12s  %s\n' "cat file > /dev/null, I/O limit (MB/s)" "$CAT_MBPS" "" ""
printf '%-48s %18s %12s  %s\n' "gdx / cat" "$(x "$GDX_VS_CAT")" "" ""
printf '%-48s %18s %12s  %s\n' "s3-to-redshift $BIG_MB MB: peak RSS (MiB)" "$RSS_MIB" "<= 64" "$V3"
printf '%-48s %18s %12s  %s\n' "s3-to-redshift $BIG_MB MB: wall time (s)" "$WALL" "" ""
printf '%-48s %18s %12s  %s\n' "cmslite-metadata ~70 MB: wall time (s)" "$CMS_WALL" "<= 3" "$V4"
printf '%-48s %18s %12s  %s\n' "cmslite-metadata ~70 MB: peak RSS (MiB)" "$CMS_RSS_MIB" "" ""
printf '%-48s %18s %12s  %s\n' "cmslite-metadata split (MB/s, wall)" "$CMS_SPLIT_MBPS" ">= 300" "$V5"
printf '%-48s %18s %12s  %s\n' "cmslite-metadata split (MB/s per CPU s)" "$CMS_SPLIT_CPU_MBPS" "" ""

printf '%-48s %18s %12s  %s\n' "S3 -> PostgreSQL 200 MB (bench/pg_e2e.sh)" "see above" "<= 1.3x, 64" "$PG_E2E_VERDICT"

[[ "$V1 $V2 $V3 $V4 $V5 $PG_E2E_VERDICT" == *FAIL* ]] && exit 1
exit 0
