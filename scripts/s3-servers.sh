#!/usr/bin/env bash
# S3-compatible test servers on loopback (moto_server and s3rver).
#   s3-servers.sh install            npm ci: s3rver into the repo's node_modules
#   s3-servers.sh start DIR [PORT]   s3rver (PORT, default 4569) and moto_server (PORT+1)
#                                    in the background; pids in DIR/*.pid, logs in DIR
#   s3-servers.sh stop DIR           stop what start DIR started
# The unit tests start their own servers on free ports; this script is for manual runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

install() {
    if [[ -x "$root/node_modules/.bin/s3rver" ]]; then return 0; fi
    command -v npm >/dev/null || { echo "npm is not installed (apt-get install npm)" >&2; exit 1; }
    (cd "$root" && npm ci --no-audit --no-fund)
}

case "${1:-}" in
install) install ;;
start)
    dir="${2:?usage: s3-servers.sh start DIR [PORT]}"
    port="${3:-4569}"
    install
    mkdir -p "$dir/s3rver-data"
    # s3rver's continuation tokens use DES: OpenSSL 3 keeps it in the legacy provider.
    NODE_OPTIONS=--openssl-legacy-provider "$root/node_modules/.bin/s3rver" -d "$dir/s3rver-data" -a 127.0.0.1 -p "$port" \
        >"$dir/s3rver.log" 2>&1 &
    echo $! >"$dir/s3rver.pid"
    moto_server -H 127.0.0.1 -p "$((port + 1))" >"$dir/moto.log" 2>&1 &
    echo $! >"$dir/moto.pid"
    echo "s3rver: http://127.0.0.1:$port (S3RVER/S3RVER)  moto: http://127.0.0.1:$((port + 1))"
    ;;
stop)
    dir="${2:?usage: s3-servers.sh stop DIR}"
    for f in "$dir"/s3rver.pid "$dir"/moto.pid; do
        [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true
        rm -f "$f"
    done
    ;;
*)
    sed -n '2,7p' "$0" >&2
    exit 2
    ;;
esac
