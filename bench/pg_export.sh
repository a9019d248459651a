#!/usr/bin/env bash
# PostgreSQL -> store export: `gdx redshift-to-s3 --warehouse postgresql:// --store file:DIR` of
# a call_centre-shaped table (bench/configs/call_centre_bench.sql) against
# `psql -c "\copy (query) to file"` of the same query. Best of three interleaved runs per side,
# each after a CHECKPOINT. The export (query sent -> object committed, from the job's log) is
# what psql \copy does and is the verdict: <= 1.2x. The whole job also hands the object over
# (client copy + good marker: two full copies of the file on a directory store, server-side on
# S3) and is printed as context. Memory flat: gdx peak RSS at N rows within 8 MiB of its peak at
# N/4 rows.
# Starts a throw-away PostgreSQL cluster (scripts/pg-cluster.sh) and stops it at exit.
# Exit 1 when a target FAILs, 2 when the run itself fails.
#
# usage: bench/pg_export.sh [--rows N] [--gdx PATH]   (default 1000000, build/gdx)
set -uo pipefail

ROWS=1000000
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GDX="$ROOT/build/gdx"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rows) ROWS=$2; shift 2 ;;
        --gdx) GDX=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "pg_export.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

OUT="$ROOT/bench/out/pg_export"
rm -rf "$OUT"
mkdir -p "$OUT/logs" "$OUT/work/dml" "$OUT/store"
say() { printf '\n== %s\n' "$*"; }
die() { echo "pg_export: $*" >&2; exit 2; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
[[ -x "$GDX" ]] || die "no gdx at $GDX (build it, or give --gdx)"
[[ -x /usr/bin/time ]] || die "GNU time is missing (Debian time)"
command -v psql >/dev/null || die "psql is missing (Debian postgresql-client)"

PG_DIR="$OUT/pg"
trap '"$ROOT/scripts/pg-cluster.sh" stop "$PG_DIR" >/dev/null 2>&1' EXIT
PG_URL=$("$ROOT/scripts/pg-cluster.sh" start "$PG_DIR" $$) || die "PostgreSQL did not start"

# The table, filled in the database itself: text with the delimiter, quotes and backslashes,
# NULLs, booleans, timestamps, integers and decimals.
fill() {  # fill TABLE N
    psql -q -v ON_ERROR_STOP=1 "$PG_URL" -c "INSERT INTO $1 SELECT
        lpad(g::text, 9, '0'),
        (ARRAY['Provincial Services','MSP Enrolment','Driver Licensing','BC Services Card'])[1 + g % 4],
        CASE WHEN g % 7 = 0 THEN NULL ELSE 'Reason ' || (g % 50) END,
        CASE g % 5 WHEN 0 THEN 'said \"hi\", then left' WHEN 1 THEN 'C:\\temp|x' ELSE 'detail ' || g END,
        timestamp '2024-01-01' + (g % 86400) * interval '1 second',
        lpad((g % 96)::text, 2, '0') || ':00',
        g % 3 = 0, g % 2 = 0, g % 1000, (g % 997) / 7.0, g % 13, (g % 4001) / 3.0,
        CASE WHEN g % 11 = 0 THEN NULL ELSE g % 600 END,
        '250-555-' || lpad((g % 10000)::text, 4, '0')
      FROM generate_series(1, $2) g" || die "filling $1 failed"
}
"$GDX" sql -f "$ROOT/bench/configs/call_centre_bench.sql" --warehouse "$PG_URL" \
    --log-dir "$OUT/logs" >/dev/null || die "creating the table failed"
psql -q "$PG_URL" -c "CREATE TABLE servicebc.call_centre_quarter (LIKE servicebc.call_centre)" ||
    die "creating the quarter table failed"
say "filling $ROWS rows (and $((ROWS / 4)) for the memory check)"
fill servicebc.call_centre "$ROWS"
fill servicebc.call_centre_quarter $((ROWS / 4))
psql -q "$PG_URL" -c "VACUUM ANALYZE" >/dev/null

QUERY_BODY="SELECT * FROM servicebc.call_centre ORDER BY id"
printf '%s\n' "SELECT * FROM ($QUERY_BODY)" >"$OUT/work/dml/export.sql"
printf '%s\n' "SELECT * FROM (SELECT * FROM servicebc.call_centre_quarter ORDER BY id)" \
    >"$OUT/work/dml/quarter.sql"
config() {  # config NAME DML
    cat >"$OUT/work/$1.json" <<JSON
{"bucket": "bench", "storage": "client", "archive": "processed", "directory": "export",
 "object_prefix": "$1", "dml": "$2", "header": true, "delimiter": "|", "addquotes": false,
 "escape": true}
JSON
}
config export export.sql
config quarter quarter.sql

# Seconds between the log lines "export query on" and "<n> rows, <b> bytes in".
export_seconds() {
    awk '/export query on|rows, [0-9]+ bytes in/ {
             match($0, /[0-9][0-9]:[0-9][0-9]:[0-9][0-9],[0-9][0-9][0-9]/)
             split(substr($0, RSTART, RLENGTH), h, "[:,]")
             s = h[1] * 3600 + h[2] * 60 + h[3] + h[4] / 1000
             if ($0 ~ /export query on/) a = s; else b = s }
         END { printf "%.2f", b - a }' "$1"
}
run_gdx() {  # run_gdx NAME SECOND -> prints "job_seconds rss_kib export_seconds"
    rm -rf "$OUT/logs/$1$2"
    (cd "$OUT/work" && GDX_NOW="2024-01-01T00:00:$2" /usr/bin/time -f "%e %M" -o "$OUT/time.txt" \
        "$GDX" redshift-to-s3 "$1.json" --store "file:$OUT/store" --warehouse "$PG_URL" \
        --log-dir "$OUT/logs/$1$2" >"$OUT/gdx.out" 2>&1) || { cat "$OUT/gdx.out" >&2; die "gdx failed"; }
    echo "$(cat "$OUT/time.txt") $(export_seconds "$OUT/logs/$1$2/redshift-to-s3.log")"
}
run_psql() {
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" psql -q "$PG_URL" \
        -c "\\copy ($QUERY_BODY) to '$OUT/psql.txt'" || die "psql failed"
    cat "$OUT/time.txt"
}
checkpoint() { psql -q "$PG_URL" -c CHECKPOINT >/dev/null; sync; }

best_gdx=999999; best_job=999999; best_psql=999999; rss=0
for i in 1 2 3; do
    checkpoint
    read -r t m e < <(run_gdx export "0$i")
    echo "gdx run $i: export ${e}s, whole job ${t}s, peak RSS $((m / 1024)) MiB"
    awk "BEGIN { exit !($e < $best_gdx) }" && best_gdx=$e
    awk "BEGIN { exit !($t < $best_job) }" && best_job=$t
    (( m > rss )) && rss=$m
    checkpoint
    read -r t _ < <(run_psql)
    echo "psql \\copy run $i: ${t}s"
    awk "BEGIN { exit !($t < $best_psql) }" && best_psql=$t
done
read -r _ quarter_rss _ < <(run_gdx quarter 09)

OBJ=$(find "$OUT/store/bench/processed/batch" -name 'export_*_part000' | head -1)
BYTES=$(stat -c %s "$OBJ")
RATIO=$(calc "$best_gdx / $best_psql")
GROWTH=$(( (rss - quarter_rss) / 1024 ))
say "results ($ROWS rows, $(calc "$BYTES / 1e6") MB object)"
echo "gdx export: ${best_gdx}s   psql \\copy: ${best_psql}s   ratio: ${RATIO}x (target <= 1.2x)"
echo "gdx whole job (export + client copy + good marker): ${best_job}s, $(calc "$best_job / $best_psql")x psql \\copy"
echo "gdx peak RSS: $((rss / 1024)) MiB at $ROWS rows, $((quarter_rss / 1024)) MiB at $((ROWS / 4)) rows (growth ${GROWTH} MiB, target <= 8)"
fail=0
awk "BEGIN { exit !($RATIO <= 1.2) }" && echo "speed: PASS" || { echo "speed: FAIL"; fail=1; }
(( GROWTH <= 8 )) && echo "memory: PASS" || { echo "memory: FAIL"; fail=1; }
exit $fail
