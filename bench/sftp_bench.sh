#!/usr/bin/env bash
# s3-to-sfts over loopback SFTP vs OpenSSH's `sftp -b` putting the same local files on the same
# server: 1,000 x 1 MB files and one 2 GB file (sizes adjustable). Prints wall times, the ratio
# gdx / sftp (target <= 1.3) and gdx's peak RSS for both sets (memory must stay flat).
# gdx (libssh2 1.10) negotiates aes128-ctr + hmac-sha2-256, where OpenSSH picks
# chacha20-poly1305: a second sftp run with the same cipher and MAC as gdx shows how much of the
# gap is the cipher rather than the transfer itself. With --repeat R each set runs R times,
# the three clients interleaved, and the best time of each is compared (a shared machine's load
# moves from minute to minute).
#
# usage: bench/sftp_bench.sh [--gdx PATH] [--small N] [--small-kb K] [--big-mb M] [--repeat R]
#   defaults: --gdx build/gdx --small 1000 --small-kb 1024 --big-mb 2048 --repeat 1
# Needs /usr/sbin/sshd (openssh-server), sftp, GNU time. Works in bench/out/sftp/ (removed at
# the end, except the logs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gdx="$here/../build/gdx"
small=1000 small_kb=1024 big_mb=2048 repeat=1
while [ $# -gt 0 ]; do
  case "$1" in
    --gdx) gdx=$(realpath "$2"); shift 2 ;;
    --small) small=$2; shift 2 ;;
    --small-kb) small_kb=$2; shift 2 ;;
    --big-mb) big_mb=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x "$gdx" ] || { echo "no gdx binary at $gdx (build first or pass --gdx)" >&2; exit 2; }
[ -x /usr/bin/time ] || apt-get install -y time >/dev/null

out="$here/out/sftp"
rm -rf "$out"; mkdir -p "$out"/{store,remote,logs,home}
cd "$out"
ssh-keygen -q -t ed25519 -N '' -f host_key
ssh-keygen -q -t ed25519 -N '' -f client_key
cp client_key.pub authorized_keys
mkdir -p /run/sshd
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > sshd_config <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $out/host_key
AuthorizedKeysFile $out/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
PidFile $out/sshd.pid
Subsystem sftp internal-sftp
CFG
/usr/sbin/sshd -f "$out/sshd_config" -D -e 2> "$out/logs/sshd.log" &
sshd_pid=$!
trap 'kill $sshd_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
fp=$(ssh-keygen -lf host_key.pub | cut -d' ' -f2)
echo "[127.0.0.1]:$port $(cat host_key.pub)" > known_hosts

bucket=bench-bucket
make_set() {  # name count size_kb
  local dir="store/$bucket/client/bench/$1"
  mkdir -p "$dir"
  if [ "$2" -eq 1 ]; then
    head -c $(( $3 * 1024 )) /dev/urandom > "$dir/file_big"
  else
    head -c $(( $3 * 1024 )) /dev/urandom > seed
    for i in $(seq -w 1 "$2"); do cp seed "$dir/file_$i"; echo "$i" >> "$dir/file_$i"; done
    rm seed
  fi
}

config() {  # set remote_dir
  cat > "cfg_$1.json" <<CFG
{"bucket": "$bucket", "source": "client", "source_client": "bench", "source_directory": "$1",
 "archive": "processed", "archive_client": "bench", "archive_directory": "$1",
 "object_prefix": "file", "sfts_path": "${2#/}", "extension": "",
 "sfts_host": "127.0.0.1", "sfts_port": $port, "sfts_host_key_sha256": "$fp",
 "lock_dir": "$out"}
CFG
}

timed() {  # log_name command...: runs it under GNU time into logs/<name>.time
  local name=$1; shift
  sync
  /usr/bin/time -f '%e %M' -o "logs/$name.time" "$@" > "logs/$name.out"
}

best() {  # best_so_far new: the smaller (empty best_so_far: new)
  python3 -c "import sys; a=sys.argv[1:]; print(min(float(x) for x in a if x))" $1 $2
}

measure() {  # set
  local set=$1 src="store/$bucket/client/bench/$1"
  local g_s='' s_s='' c_s='' g_kb=0 g_all='' s_all='' c_all='' n_gdx n_sftp
  { echo "cd $out/remote/sftp_$set"; for f in "$src"/*; do echo "put $f"; done; } > "sftp_$set.batch"
  config "$set" "$out/remote/gdx_$set"
  for r in $(seq "$repeat"); do
    rm -rf "remote/gdx_$set" "remote/sftp_$set" "store/$bucket/processed"
    mkdir -p "remote/gdx_$set" "remote/sftp_$set"
    timed "gdx_$set" env sfts_user=root "$gdx" s3-to-sfts "cfg_$set.json" --store "file:$out/store" \
      --identity client_key --log-dir logs
    n_gdx=$(ls "remote/gdx_$set" | wc -l)
    timed "sftp_$set" sftp -q -b "sftp_$set.batch" -i client_key \
      -o UserKnownHostsFile="$out/known_hosts" -P "$port" root@127.0.0.1
    n_sftp=$(ls "remote/sftp_$set" | wc -l)
    rm -rf "remote/sftp_$set"; mkdir -p "remote/sftp_$set"
    timed "sftp_ctr_$set" sftp -q -b "sftp_$set.batch" -c aes128-ctr -o MACs=hmac-sha2-256 \
      -i client_key -o UserKnownHostsFile="$out/known_hosts" -P "$port" root@127.0.0.1
    read -r g kb < "logs/gdx_$set.time"; read -r s _ < "logs/sftp_$set.time"
    read -r c _ < "logs/sftp_ctr_$set.time"
    g_s=$(best "$g_s" "$g"); s_s=$(best "$s_s" "$s"); c_s=$(best "$c_s" "$c")
    g_all+=" $g"; s_all+=" $s"; c_all+=" $c"
    (( kb > g_kb )) && g_kb=$kb
  done
  ratio=$(python3 -c "print(f'{$g_s/$s_s:.2f}')")
  ratio_ctr=$(python3 -c "print(f'{$g_s/$c_s:.2f}')")
  verdict=$(python3 -c "print('PASS' if $g_s/$s_s <= 1.3 else 'FAIL')")
  printf '%-6s files %5s/%-5s gdx %7.2f s  sftp -b %7.2f s  ratio %s (target <= 1.3: %s)  sftp -b aes128-ctr/hmac-sha2-256 %7.2f s  ratio %s  gdx peak RSS %d MiB\n' \
    "$set" "$n_gdx" "$n_sftp" "$g_s" "$s_s" "$ratio" "$verdict" "$c_s" "$ratio_ctr" $(( g_kb / 1024 ))
  [ "$repeat" -gt 1 ] && echo "       runs (s): gdx$g_all; sftp -b$s_all; sftp -b aes128-ctr$c_all"
  cmp -s "$src/$(ls "$src" | head -1)" "remote/gdx_$set/$(ls "$src" | head -1)" || echo "  MISMATCH in gdx's copy"
  rm -rf "remote/gdx_$set" "remote/sftp_$set"
}

echo "generating $small x $small_kb KiB and 1 x $big_mb MiB ..."
make_set small "$small" "$small_kb"
make_set big 1 $(( big_mb * 1024 ))
echo "s3-to-sfts vs sftp -b over loopback (sshd internal-sftp, ed25519, $(nproc) cores)"
measure small
measure big
rm -rf store remote
