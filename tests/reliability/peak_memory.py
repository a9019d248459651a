#!/usr/bin/env python3
"""Peak memory of one process, split: what the process holds itself, and SQLite's WAL index.

    peak_memory.py MARKER [SECONDS]

Waits up to SECONDS (default 60) for a process whose command line contains MARKER, then samples
/proc/PID/smaps every 0.2 s until it exits, and prints one line: "OWN_KB SHM_KB", the peaks of
(resident set minus the wal-index mappings) and of the wal-index mappings (files ending in
"-shm"). SQLite maps its WAL index (8 bytes per page of the open transaction: docs/reliability.md,
"Load") from the -shm file beside the database, so the kernel counts it in the resident set of
the process that writes; it is file-backed and shared, not the process's heap. GNU time's
maximum RSS counts both.
"""
import os
import sys
import time


def find(marker, seconds):
    deadline = time.monotonic() + seconds
    me = os.getpid()
    while time.monotonic() < deadline:
        for pid in os.listdir("/proc"):
            if not pid.isdigit() or int(pid) == me:
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    argv = f.read().split(b"\0")
            except OSError:
                continue
            # gdx itself, not the time/timeout wrappers that carry the same arguments
            if marker.encode() in argv and os.path.basename(argv[0]) == b"gdx":
                return pid
        time.sleep(0.05)
    return None


def sample(pid):
    """(rss_kb, shm_kb) of the process now, or None when it is gone."""
    rss = shm = 0
    name = ""
    try:
        with open(f"/proc/{pid}/smaps") as f:
            for line in f:
                first = line.split(None, 1)[0]
                if "-" in first and not first.endswith(":"):  # a mapping's header line
                    parts = line.split()
                    name = parts[5] if len(parts) > 5 else ""
                elif first == "Rss:":
                    kb = int(line.split()[1])
                    rss += kb
                    if name.endswith("-shm"):
                        shm += kb
    except (OSError, ValueError, IndexError):
        return None
    return rss, shm


def main():
    marker = sys.argv[1]
    pid = find(marker, float(sys.argv[2]) if len(sys.argv) > 2 else 60)
    own = shm = 0
    while pid is not None:
        s = sample(pid)
        if s is None or not os.path.exists(f"/proc/{pid}"):
            break
        own, shm = max(own, s[0] - s[1]), max(shm, s[1])
        time.sleep(0.2)
    print(own, shm)


if __name__ == "__main__":
    main()
