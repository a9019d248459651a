#!/usr/bin/python3
"""Deterministic generator of a call-centre CSV shaped like servicebc.call_centre.

Writes a pipe-delimited file with a header row holding the 14 column names of
bench/configs/call_centre_bench.json. The same --seed (and --mb) always gives the same
bytes: a pool of distinct rows is generated once from a seeded PRNG, and the file is
that pool written again and again, each time rotated to start at a different row, so
that 1 GB takes seconds (large buffered writes, no per-row Python work after the pool).

What the rows exercise (see bench/README.md):
  * datekey as %Y%m%d (dateformat), handletime as integers with a few leading zeros and
    missing values (dtype_dic_ints), callputonhold as True/False in pandas' accepted
    spellings (dtype_dic_bools, never missing: pandas' bool parse rejects missing);
  * answeredwithinservicelevel as True/False text with a few empties (BOOL column fed as text);
  * waittime/talktime as decimals, wraptime as integers, holdtime as integers with gaps
    (pandas turns that column into floats);
  * quoted fields containing the delimiter and doubled quotes, empty fields, NA tokens
    (NA, NULL, n/a, nan, N/A — never `None`, which pandas 1.x and 2.x treat differently);
  * strings exactly at their VARCHAR limits and longer ones that column_string_limit cuts.
All text is ASCII, so VARCHAR limits in bytes equal limits in characters.

Usage: gen_call_centre.py --mb N --out FILE [--seed S]   (MB = 1,000,000 bytes; the file is
cut at a row boundary at or just below N MB)
"""
import argparse
import datetime
import os
import random
import sys

COLUMNS = [
    "id", "skillgroup", "contactreason", "contactreasondetail", "datekey", "interval",
    "answeredwithinservicelevel", "callputonhold", "handletime", "waittime", "wraptime",
    "talktime", "holdtime", "incomingphonenumber",
]
DELIM = "|"
POOL_ROWS = 65536  # ~8 MB of distinct rows: bigger than any CPU cache, cheap to build

SKILLGROUPS = [
    "Provincial Services", "MSP Enrolment", "Driver Licensing", "BC Services Card",
    "Property Tax Deferment", "Income Assistance", "Hunting and Fishing", "Vital Statistics",
    "French Services", "Enquiry BC", "Small Business", "Student Loans",
]
REASONS = [
    "General Information", "Account Status", "Payment", "Address Change", "Application",
    "Complaint", "Transfer", "Renewal", "Technical Support", "Document Request",
    "Eligibility", "Appointment", "Follow-up", "Wrong Number",
]
DETAILS = [
    "Caller asked for office hours", "Requested forms by mail", "Password reset",
    "Transferred to ministry", "Status of application", "Updated mailing address",
    "Payment options explained", "Escalated to supervisor", "Call dropped",
    "Referred to website", "Booked an appointment", "Renewal reminder",
]
NA_TOKENS = ["NA", "NULL", "n/a", "nan", "N/A", "#N/A"]
START_DAY = datetime.date(2023, 1, 1)


def pad_to(text, n, rng):
    """ASCII text of exactly n bytes starting with `text` (no trailing space)."""
    filler = "abcdefghijklmnopqrstuvwxyz "
    while len(text) < n:
        text += filler[rng.randrange(len(filler))]
    text = text[:n]
    return text[:-1] + "x" if text.endswith(" ") else text


def quote(field):
    """CSV-quote a field: wrap in quotes, double the quotes inside."""
    return '"' + field.replace('"', '""') + '"'


def gen_id(rng):
    if rng.randrange(500) == 0:
        return "CC" + "".join(str(rng.randrange(10)) for _ in range(18))  # VARCHAR(20) exactly
    return "%010d" % rng.randrange(10**9)  # leading zeros must survive (dtype str)


def gen_skillgroup(rng):
    if rng.randrange(400) == 0:
        return pad_to("Provincial Services Line ", 30, rng)  # at VARCHAR(30)
    if rng.randrange(300) == 0:
        return pad_to("Overflow Queue ", 45, rng)  # cut to 30 by column_string_limit
    return rng.choice(SKILLGROUPS)


def gen_reason(rng):
    r = rng.randrange(1000)
    if r < 5:
        return ""
    if r < 8:
        return "-"  # stays "-" (not an NA token)
    if r < 10:
        return "NULL"
    if r < 12:
        return pad_to("Reason ", 50, rng)  # at VARCHAR(50)
    return rng.choice(REASONS)


def gen_detail(rng):
    r = rng.randrange(1000)
    if r < 20:
        return ""
    if r < 25:
        return rng.choice(NA_TOKENS)
    if r < 45:
        return quote(rng.choice(REASONS) + " | " + rng.choice(DETAILS))  # quoted delimiter
    if r < 55:
        return quote('Caller said "urgent" about ' + rng.choice(REASONS).lower())
    if r < 60:
        return quote('Said "call back" | ' + rng.choice(DETAILS))
    if r < 75:
        return pad_to(rng.choice(DETAILS) + ": ", rng.randrange(51, 90), rng)  # over the limit
    if r < 80:
        return pad_to(rng.choice(DETAILS) + " ", 50, rng)  # exactly at VARCHAR(50)
    return rng.choice(DETAILS)


def gen_interval(rng):
    return "%02d:%02d" % (rng.randrange(7, 20), rng.choice((0, 15, 30, 45)))


def gen_bool_text(rng):
    if rng.randrange(100) == 0:
        return ""
    return "True" if rng.randrange(10) < 8 else "False"


def gen_bool_strict(rng):
    r = rng.randrange(1000)
    if r == 0:
        return "TRUE"
    if r == 1:
        return "false"
    return "True" if r % 4 == 0 else "False"


def gen_handletime(rng):
    r = rng.randrange(1000)
    if r < 10:
        return ""
    if r < 12:
        return "NA"
    if r < 14:
        return "%04d" % rng.randrange(1000)  # leading zeros: written canonically
    return str(rng.randrange(20, 3600))


def gen_waittime(rng):
    r = rng.randrange(1000)
    if r < 10:
        return ""
    if r < 13:
        return "nan"
    return "%.1f" % (rng.randrange(0, 18000) / 10)


def gen_talktime(rng):
    return "%.2f" % (rng.randrange(0, 360000) / 100)


def gen_holdtime(rng):
    if rng.randrange(50) == 0:
        return ""
    return str(rng.randrange(0, 600))


def gen_phone(rng):
    r = rng.randrange(1000)
    area = rng.choice(("250", "604", "778", "236"))
    number = "%s-%03d-%04d" % (area, rng.randrange(200, 1000), rng.randrange(10000))
    if r < 30:
        return ""
    if r < 35:
        return "NULL"
    if r < 37:
        return "N/A"
    if r < 40:
        return "+1 (%s) %03d-%04d x%d" % (area, rng.randrange(200, 1000), rng.randrange(10000),
                                          rng.randrange(1, 10))  # 20 bytes: at VARCHAR(20)
    if r < 90:
        return "+1 (%s) %03d-%04d" % (area, rng.randrange(200, 1000), rng.randrange(10000))
    return number


def gen_row(rng):
    day = START_DAY + datetime.timedelta(days=rng.randrange(730))
    fields = [
        gen_id(rng), gen_skillgroup(rng), gen_reason(rng), gen_detail(rng),
        day.strftime("%Y%m%d"), gen_interval(rng), gen_bool_text(rng), gen_bool_strict(rng),
        gen_handletime(rng), gen_waittime(rng), str(rng.randrange(0, 900)), gen_talktime(rng),
        gen_holdtime(rng), gen_phone(rng),
    ]
    return DELIM.join(fields) + "\n"


def build_pool(seed):
    rng = random.Random(seed)
    rows = [gen_row(rng).encode("ascii") for _ in range(POOL_ROWS)]
    starts = []
    offset = 0
    for row in rows:
        starts.append(offset)
        offset += len(row)
    return b"".join(rows), starts


def write_file(path, target_bytes, seed):
    pool, starts = build_pool(seed)
    header = (DELIM.join(COLUMNS) + "\n").encode("ascii")
    tmp = path + ".tmp"
    written = 0
    with open(tmp, "wb", buffering=0) as out:
        out.write(header)
        written += len(header)
        block = 0
        while written < target_bytes:
            # Rotate the pool to start at a different row each time (odd stride: all rows).
            start = starts[(block * 40503) % len(starts)]
            chunk = pool[start:] + pool[:start]
            room = target_bytes - written
            if len(chunk) > room:
                cut = chunk.rfind(b"\n", 0, room) + 1
                if cut == 0:
                    break
                chunk = chunk[:cut]
            out.write(chunk)
            written += len(chunk)
            block += 1
    os.replace(tmp, path)
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, required=True, help="size in MB (10^6 bytes)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20240105)
    args = parser.parse_args()
    size = write_file(args.out, int(args.mb * 1_000_000), args.seed)
    print("wrote %s: %d bytes" % (args.out, size), file=sys.stderr)


if __name__ == "__main__":
    main()
