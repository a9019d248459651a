# shellcheck shell=bash
# Many small call-centre objects, shared by bench/many_objects.sh and the load section of the
# reliability campaign (tests/reliability/load_test.sh). Source it; it defines functions only.
#   call_centre_sample FILE                 a 4 MB generated call-centre sample (seed 7)
#   cut_call_centre_objects SAMPLE FOLDER N KB [FIRST]
#                                           N objects FOLDER/obj-NNNNNN.csv of about KB KB each
#                                           (a header and a run of the sample's rows); prints
#                                           the rows of all of them and of the FIRST ones
#   call_centre_config DEST BUCKET [DIRECTORY] [TABLE]
#                                           the bench config in append mode, reading
#                                           source/DIRECTORY/obj-*, writing under DEST
CALL_CENTRE_BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

call_centre_sample() {
    /usr/bin/python3 "$CALL_CENTRE_BENCH/gen_call_centre.py" --mb 4 --seed 7 --out "$1" 2>/dev/null
}

cut_call_centre_objects() {
    python3 - "$1" "$2" "$3" "$4" "${5:-0}" <<'CUT'
import os, sys
sample, folder, n, kb, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lines = open(sample, encoding="ascii").read().split("\n")
header, rows = lines[0], [r for r in lines[1:] if r]
per = max(1, kb * 1000 // (sum(len(r) + 1 for r in rows[:1000]) // 1000))
os.makedirs(folder, exist_ok=True)
total = total_first = 0
for i in range(n):
    start = (i * per) % (len(rows) - per)
    chunk = rows[start:start + per]
    total += len(chunk)
    if i < first:
        total_first += len(chunk)
    with open(f"{folder}/obj-{i:06d}.csv", "w") as f:
        f.write(header + "\n" + "\n".join(chunk) + "\n")
print(total, total_first)
CUT
}

call_centre_config() {
    python3 - "$CALL_CENTRE_BENCH/configs/call_centre_bench.json" "$1" "$2" "${3:-many}" \
        "${4:-servicebc.call_centre}" <<'CFG'
import json, sys
c = json.load(open(sys.argv[1]))
c.update({"truncate": False, "directory": sys.argv[4], "doc": "obj-.*", "destination": sys.argv[2],
          "bucket": sys.argv[3], "dbtable": sys.argv[5]})
print(json.dumps(c, indent=1))
CFG
}
