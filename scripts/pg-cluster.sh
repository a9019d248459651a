#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster on a free loopback port, for tests and demos.
#   pg-cluster.sh start DIR [OWNER_PID]
#                             initdb (if needed) + start; prints the connection URL. With
#                             OWNER_PID, a watcher stops the cluster once that process is gone
#                             (a test binary that crashes does not leave a server running)
#   pg-cluster.sh url DIR     prints the URL of the running cluster
#   pg-cluster.sh stop DIR    stops it (immediate); DIR is left for inspection
#   pg-cluster.sh restart DIR stops it (fast: sessions are terminated) and starts it again on
#                             the same port (tests of a server restarted under a client)
# The server refuses to run as root, so it runs as the `postgres` user on a DIR it owns.
# Trust authentication, loopback only.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:-}
dir=${2:-}
owner=${3:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
    echo "usage: $0 start|stop|restart|url DIR [OWNER_PID]" >&2
    exit 2
fi
[[ "$cmd" == start ]] && mkdir -p "$dir"
[[ -d "$dir" ]] || { [[ "$cmd" == stop ]] && exit 0; echo "pg-cluster: no directory $dir" >&2; exit 1; }
dir=$(cd "$dir" && pwd)

as_postgres() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

free_port() {
    # Ask the kernel for a free port; a race with another process is handled by retrying.
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

url() {
    echo "postgresql://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
}

case "$cmd" in
start)
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres "$dir"
        as_postgres test -w "$dir" || {
            echo "pg-cluster: user postgres cannot write $dir (is a parent directory closed?)" >&2
            exit 1
        }
    fi
    if [[ ! -f "$dir/data/PG_VERSION" ]]; then
        as_postgres "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            exit 1
        }
    fi
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
            echo "$port" >"$dir/port"
            if [[ -n "$owner" ]]; then
                # Detached from every descriptor: whoever reads this script's output sees EOF.
                self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
                # It watches the owner only (a restart removes postmaster.pid for a moment).
                nohup bash -c 'while kill -0 "$1" 2>/dev/null; do
                                   sleep 1
                               done
                               [[ -f "$2/data/postmaster.pid" ]] && "$3" stop "$2"' watcher "$owner" "$dir" "$self" </dev/null >/dev/null 2>&1 &
            fi
            url
            exit 0
        fi
        echo "pg-cluster: start on port $port failed (attempt $attempt)" >&2
    done
    tail -n 20 "$dir/log" >&2 || true
    exit 1
    ;;
restart)
    [[ -f "$dir/port" ]] || { echo "pg-cluster: no cluster in $dir" >&2; exit 1; }
    port=$(cat "$dir/port")
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
    ;;
stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
        as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null
    fi
    ;;
url)
    [[ -f "$dir/port" ]] || { echo "pg-cluster: no cluster in $dir" >&2; exit 1; }
    url
    ;;
*)
    echo "usage: $0 start|stop|restart|url DIR [OWNER_PID]" >&2
    exit 2
    ;;
esac
