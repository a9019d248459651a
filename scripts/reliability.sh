#!/usr/bin/env bash
# The reliability campaign (docs/reliability.md): one script, one section per kind of proof.
#   scripts/reliability.sh [options]            the full campaign (long: fuzzing runs 10^6
#                                               executions per target)
#   scripts/reliability.sh --short [options]    what CI runs (ctest reliability_short, < 3 min)
# Options:
#   --gdx PATH          the gdx binary                       [build/gdx]
#   --fuzz-dir DIR      where the fuzz_<target> executables are: libFuzzer ones for the full
#                       campaign (cmake -DGDX_FUZZ=ON, clang), the corpus replayers of the
#                       normal build for --short      [build-fuzz/fuzz, --short: build/fuzz]
#   --runs N            fuzz executions per target             [1000000]
#   --fuzz-seconds S    stop each target after S seconds even below --runs (a time-boxed run;
#                       the row then says how far it got)
#   --fuzz-jobs N       fuzz N targets at a time, one worker each (an idle machine: its
#                       cores; a shared one: 1)                [1]
#   --only A,B          only these sections (names below)
#   --results FILE      also write the results (markdown) to FILE
# Sections run in the order of the table below; a section a later item of the campaign adds is
# one row there and one function section_<name>. Exit status: 1 when any section failed.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

# name             | in --short | what it proves
SECTIONS=(
    "crash          | yes | crash matrix: SIGKILL at every step of every job, then a re-run (--short: 3 steps)"
    "faults         | no  | S3 and PostgreSQL faults: loaded-or-pending, nothing lost or doubled"
    "fuzz           | yes | libFuzzer targets under ASan+UBSan (--short: the corpora replayed)"
    "csv_diff       | yes | the CSV reader against pandas' C engine on the same bytes"
    "secrets        | yes | no secret in anything gdx writes, on every job's error paths"
    "bad_input      | yes | every config key's bad values: exit 2, key and file named, nothing touched"
    "load           | no  | 10,000 objects, concurrent runs, a 10 GB object, a 4 GB one through S3"
)

short=0
gdx=$ROOT/build/gdx
fuzz_dir=""
runs=1000000
fuzz_seconds=0
fuzz_jobs=1
only=""
results=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    --short) short=1 ;;
    --gdx) gdx=$2; shift ;;
    --fuzz-dir) fuzz_dir=$2; shift ;;
    --runs) runs=$2; shift ;;
    --fuzz-seconds) fuzz_seconds=$2; shift ;;
    --fuzz-jobs) fuzz_jobs=$2; shift ;;
    --only) only=$2; shift ;;
    --results) results=$2; shift ;;
    *) sed -n '2,18p' "$0" >&2; exit 2 ;;
    esac
    shift
done
[[ -n "$fuzz_dir" ]] || fuzz_dir=$ROOT/$( ((short)) && echo build/fuzz || echo build-fuzz/fuzz)
fuzz_dir=$(realpath -m "$fuzz_dir") gdx=$(realpath -m "$gdx")
work=$(mktemp -d /tmp/gdx-reliability.XXXXXX)
out=$work/results.md
trap 'rm -rf "$work"' EXIT
PY=python3                  # boto3 and moto
PANDAS_PY=/usr/bin/python3  # Debian's python3-pandas

row() { printf '%s\n' "$*" | tee -a "$out"; }

# Every job's crash steps on both backend pairs (tests/reliability/crash_test.py lists them):
# one table row per step. GDX_CRASH_JOBS=a,b: only these jobs.
section_crash() {
    local status=0 args=()
    [[ -n "${GDX_CRASH_JOBS:-}" ]] && args=(--only "$GDX_CRASH_JOBS")
    ((short)) && args+=(--short)
    "$PY" tests/reliability/crash_test.py "$gdx" "${args[@]}" 2>"$work/crash.log" | tee -a "$out"
    ((PIPESTATUS[0] == 0)) || status=1
    row ""
    ((status == 0)) || grep -A3 '^FAILED' "$work/crash.log" | head -n 60 >&2
    return $status
}
# One row per fault: the fault tests of the integration binary (tests/integration/
# s3_faults_test.cpp, pg_faults_test.cpp), the DISABLED_ campaign-only rows included; each
# test names its row with the properties "fault" and "backend" and asserts its outcome (exit
# code and message, every object loaded or pending, the next run completing).
section_faults() {
    local bin=${GDX_TEST_INTEGRATION:-$(dirname "$gdx")/tests/test_integration}
    local json=$work/faults.json status=0
    if [[ ! -x "$bin" ]]; then
        row "missing: $bin (build the tests)"
        row ""
        return 1
    fi
    GDX_RETRY_BASE_MS=5 "$bin" --gtest_filter='S3Faults.*:S3MultipartFaults.*:PgFaults.*' \
        --gtest_also_run_disabled_tests --gtest_output=json:"$json" >"$work/faults.log" 2>&1 ||
        status=1
    row "| fault | backend | outcome | seconds |"
    row "|---|---|---|---:|"
    "$PY" - "$json" <<'PYEOF' | while IFS= read -r l; do row "$l"; done
import json, sys
for suite in json.load(open(sys.argv[1]))["testsuites"]:
    for t in suite["testsuite"]:
        if t.get("failures"):
            first = t["failures"][0]["failure"].strip().splitlines()
            outcome = "FAILED: " + " ".join(first[:3])[:300]
        elif t.get("result") == "SKIPPED":
            outcome = "skipped"
        else:
            outcome = "survived"
        fault = t.get("fault", suite["name"] + "." + t["name"]).replace("|", "/")
        print(f"| {fault} | {t.get('backend', '')} | {outcome.replace('|', '/')} | "
              f"{float(t.get('time', '0s').rstrip('s')):.1f} |")
PYEOF
    row ""
    ((status == 0)) || grep -E "Failure|FAILED" "$work/faults.log" | head -n 40 >&2
    return $status
}
# The load cases of tests/reliability/load_test.sh (its CASES table): one row per measurement
# (seconds, peak RSS, outcome). --short runs each case small.
section_load() {
    local status=0 args=()
    ((short)) && args+=(--short)
    [[ -n "${GDX_LOAD_CASES:-}" ]] && args+=(--only "$GDX_LOAD_CASES")
    tests/reliability/load_test.sh "$gdx" "${args[@]}" 2>"$work/load.log" | tee -a "$out"
    ((PIPESTATUS[0] == 0)) || status=1
    row ""
    ((status == 0)) || tail -n 20 "$work/load.log" >&2
    return $status
}

# Full: each target for $runs executions from its seed corpus (fuzz/corpus/<target>/) plus
# what earlier runs found, one worker per target, --fuzz-jobs targets at a time (the slowest
# first, so that the last to finish is a short one). Short: every seed input once through the
# replay executable of the normal build.
section_fuzz() {
    local failed=0 dir name
    local -a names=()
    if ((short)); then
        row "| target | seed inputs replayed | result |"
        row "|---|---:|---|"
    else
        row "| target | executions | seconds | exec/s | crashes, leaks, timeouts | corpus |"
        row "|---|---:|---:|---:|---|---:|"
    fi
    for dir in "$ROOT"/fuzz/corpus/*/; do
        name=$(basename "$dir")
        # GDX_FUZZ_TARGETS=a,b: only these targets (e.g. to resume a long campaign)
        [[ -z "${GDX_FUZZ_TARGETS:-}" || ",$GDX_FUZZ_TARGETS," == *",$name,"* ]] || continue
        if [[ ! -x "$fuzz_dir/fuzz_$name" ]]; then
            row "| $name | — | missing: $fuzz_dir/fuzz_$name (see docs/reliability.md to build it) |"
            failed=1
            continue
        fi
        if ((short)); then
            if "$fuzz_dir/fuzz_$name" "$dir"/* >"$work/fuzz-$name.log" 2>&1; then
                row "| $name | $(find "$dir" -type f | wc -l) | ok |"
            else
                row "| $name | — | FAILED (tail: $(tail -n 3 "$work/fuzz-$name.log" | tr '\n' ' ')) |"
                failed=1
            fi
            continue
        fi
        names+=("$name")
    done
    if ((!short)); then
        # The slowest targets first (seconds per 10^6 executions on an idle core, from the
        # figures in docs/reliability.md); a target not listed counts as fast.
        local -A cost=([decoders]=1100 [sql_translate]=1000 [config]=520 [credential_files]=500
                       [csv_reader]=380)
        mapfile -t names < <(for name in "${names[@]}"; do echo "${cost[$name]:-100} $name"; done |
                             sort -rn | cut -d' ' -f2)
        local running=0
        for name in "${names[@]}"; do
            if ((running >= fuzz_jobs)); then wait -n; running=$((running - 1)); fi
            fuzz_target "$name" &
            running=$((running + 1))
        done
        wait
        # One row per target, in the table's (alphabetical) order.
        for name in $(printf '%s\n' "${names[@]}" | sort); do
            row "$(cat "$work/fuzz-row-$name")"
            [[ "$(cat "$work/fuzz-status-$name")" == 0 ]] || failed=1
        done
    fi
    row ""
    return $failed
}

# One libFuzzer run of target $1; its table row goes to $work/fuzz-row-$1 and 0 (or 1 when the
# target failed) to $work/fuzz-status-$1.
fuzz_target() {
    local name=$1 bin=$fuzz_dir/fuzz_$1 log=$work/fuzz-$1.log n secs failed=0
    local corpus=${GDX_FUZZ_CORPUS:-$ROOT/build-fuzz/corpus}/$name
    mkdir -p "$corpus" "$work/artifacts" "$work/run-$name"
    local start=$SECONDS status=ok
    # From a directory of its own: with -jobs libFuzzer writes fuzz-<job>.log into the current
    # directory. -timeout is wall-clock time: GDX_FUZZ_TIMEOUT raises it on a machine so busy
    # that a niced fuzzer waits seconds for the CPU (an input of 0.1 s then "times out").
    (cd "$work/run-$name" && "$bin" -runs="$runs" -workers=1 -jobs=1 -timeout="${GDX_FUZZ_TIMEOUT:-10}" \
        -rss_limit_mb=2048 -max_len=4096 -print_final_stats=1 -artifact_prefix="$work/artifacts/$name-" \
        -max_total_time="$fuzz_seconds" \
        "$corpus" "$ROOT/fuzz/corpus/$name/") >"$log" 2>&1 || status="FAILED: $(grep -m1 -E 'ERROR|SUMMARY' "$log")"
    secs=$((SECONDS - start))
    n=$(grep -oE '^Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo 0)
    if [[ "$status" == ok && "$n" -lt "$runs" ]]; then
        ((fuzz_seconds > 0)) && status="0 (time box: below $runs runs)" || status="FAILED: only $n runs"
    fi
    if [[ "$status" == ok ]]; then status="0"; elif [[ "$status" != 0* ]]; then failed=1; fi
    echo "| $name | $n | $secs | $((n / (secs > 0 ? secs : 1))) | $status | $(find "$corpus" -type f | wc -l) |" \
        >"$work/fuzz-row-$name"
    echo "$failed" >"$work/fuzz-status-$name"
    if ((failed)); then
        mkdir -p "$ROOT/build-fuzz/artifacts" && cp "$work"/artifacts/"$name"-* "$ROOT/build-fuzz/artifacts/" 2>/dev/null
        tail -n 30 "$log" >&2
    fi
}

section_csv_diff() {
    local dump=${GDX_CSV_DUMP:-$(dirname "$gdx")/fuzz/gdx_csv_dump}
    if ! "$PANDAS_PY" -c 'import pandas' 2>/dev/null || [[ ! -x "$dump" ]]; then
        row "Skipped: needs $PANDAS_PY with pandas and $dump."
        row ""
        return 0
    fi
    local cases=$( ((short)) && echo 150 || echo 5000)
    local line status=0
    line=$("$PANDAS_PY" tests/reliability/csv_differential.py "$dump" "$cases" 2>&1) || status=1
    printf '%s\n' "$line" | head -n 20 | while IFS= read -r l; do row "$l"; done
    # Bare CRs and quoting off: pandas' bare-CR quirks are judged by Python's csv module.
    line=$("$PANDAS_PY" tests/reliability/csv_differential.py --wide "$dump" \
        $( ((short)) && echo 100 || echo 500) 2>&1) || status=1
    printf '%s\n' "$line" | head -n 20 | while IFS= read -r l; do row "$l"; done
    row ""
    return $status
}

section_secrets() {
    local status=0
    "$PY" tests/reliability/secrets_test.py "$gdx" >"$work/secrets.log" 2>&1 || status=1
    row '```'
    grep -E '^(secrets:|LEAK|FAILED)' "$work/secrets.log" | tee -a "$out"
    row '```'
    row ""
    ((status == 0)) || tail -n 40 "$work/secrets.log" >&2
    return $status
}

section_bad_input() {
    local status=0
    "$PY" tests/reliability/bad_config_test.py "$gdx" >"$work/bad_input.log" 2>&1 || status=1
    row '```'
    grep -E '^(bad config:|not checked:|known gap:|FAILED)' "$work/bad_input.log" | tee -a "$out"
    row '```'
    row ""
    ((status == 0)) || tail -n 40 "$work/bad_input.log" >&2
    return $status
}

overall=0
row "# gdx reliability: $( ((short)) && echo short || echo full) run, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
row ""
for entry in "${SECTIONS[@]}"; do
    IFS='|' read -r name in_short what <<<"$entry"
    name=${name// /} in_short=${in_short// /}
    what=${what#"${what%%[![:space:]]*}"}
    if [[ -n "$only" && ",$only," != *",$name,"* ]]; then continue; fi
    if ((short)) && [[ "$in_short" != yes ]]; then continue; fi
    row "## $name: $what"
    row ""
    start=$SECONDS
    if "section_$name"; then
        echo "[$name: ok, $((SECONDS - start)) s]" >&2
    else
        echo "[$name: FAILED, $((SECONDS - start)) s]" >&2
        overall=1
    fi
done
[[ -n "$results" ]] && cp "$out" "$results"
exit $overall
