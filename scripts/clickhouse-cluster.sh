#!/usr/bin/env bash
# A local two-shard ClickHouse cluster for cxray's ClickHouse engine tests.
#
#   scripts/clickhouse-cluster.sh start|stop|status [--base-dir DIR] [--lease PID]
#
# Starts two /usr/sbin/clickhouse-server processes on 127.0.0.1, each with its
# own ports, data, tmp and log folders under DIR (default .cache/clickhouse in
# the repository), and the same `remote_servers` cluster `cxray` listing both.
# No Docker and no ZooKeeper: the engine creates tables on each shard itself.
#
#   shard 1: http 18123, tcp 19000, interserver 19009
#   shard 2: http 18124, tcp 19001, interserver 19010
#
# The `default` user's password comes from CXRAY_CLICKHOUSE_PASSWORD (default
# empty). `start` is idempotent: a shard already running is left alone. `stop`
# signals only the processes whose pid files this script wrote (SIGTERM, up to
# 15 s, then SIGKILL). `status` exits 0 when both shards answer, 3 otherwise.
#
# Leases, for test files running side by side: `start --lease PID` records
# that process PID uses the cluster; `stop --lease PID` drops that record and
# stops the cluster only if a leased start launched it and no live process
# holds a lease any more. A cluster started without --lease is never stopped
# by a lease. start and stop hold a lock on the base dir, so they never race.
#
# Needs the Debian packages (apt-get install -y clickhouse-server clickhouse-client)
# and nothing else beyond bash, coreutils and util-linux (flock, setsid).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
TEMPLATES="$SCRIPT_DIR/clickhouse"
SERVER_BIN="${CXRAY_CLICKHOUSE_SERVER:-/usr/sbin/clickhouse-server}"
PASSWORD="${CXRAY_CLICKHOUSE_PASSWORD:-}"

SHARDS=(1 2)
HTTP_PORTS=(18123 18124)
TCP_PORTS=(19000 19001)
INTERSERVER_PORTS=(19009 19010)
START_TIMEOUT_S=60
STOP_TIMEOUT_S=15

usage() {
  echo "usage: $0 start|stop|status [--base-dir DIR] [--lease PID]" >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
COMMAND="$1"
shift
BASE_DIR="$REPO_DIR/.cache/clickhouse"
LEASE=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --lease)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || usage
      LEASE="$2"
      shift 2
      ;;
    --base-dir)
      [[ $# -ge 2 ]] || usage
      BASE_DIR="$2"
      shift 2
      ;;
    --base-dir=*)
      BASE_DIR="${1#--base-dir=}"
      shift
      ;;
    *) usage ;;
  esac
done
mkdir -p "$BASE_DIR"
BASE_DIR="$(cd "$BASE_DIR" && pwd)"

shard_dir() { echo "$BASE_DIR/shard$1"; }
pid_file() { echo "$(shard_dir "$1")/clickhouse-server.pid"; }

# The pid from our pid file, if that process is alive and is the server we
# started with this shard's config (a recycled pid is never signalled).
running_pid() {
  local file pid cmdline
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  [[ "$cmdline" == *"$(shard_dir "$1")/config.xml"* ]] || return 1
  echo "$pid"
}

# `SELECT 1` over HTTP with bash's /dev/tcp (no curl on a clean machine); the
# password travels in the environment and a header, never in a URL or argv.
answers() {
  CH_KEY="$PASSWORD" timeout 3 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "POST / HTTP/1.0\r\nX-ClickHouse-User: default\r\nX-ClickHouse-Key: %s\r\nContent-Length: 8\r\n\r\nSELECT 1" "$CH_KEY" >&3
    response="$(cat <&3)"
    [[ "$response" == "HTTP/1."?" 200"* && "$response" == *$'"'"'\r\n\r\n1'"'"'* ]]
  ' "$1" 2>/dev/null
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Replacements are quoted: with bash 5.2's patsub_replacement an unquoted & means the match.
xml_escape() {
  local s="$1"
  s="${s//&/"&amp;"}"
  s="${s//</"&lt;"}"
  s="${s//>/"&gt;"}"
  s="${s//\"/"&quot;"}"
  s="${s//\'/"&apos;"}"
  printf '%s' "$s"
}

render() {
  local index="$1" dir="$2"
  local i=$((index - 1))
  local template password_element
  if [[ -z "$PASSWORD" ]]; then
    password_element="<password></password>"
  else
    password_element="<password_sha256_hex>$(printf '%s' "$PASSWORD" | sha256sum | cut -d' ' -f1)</password_sha256_hex>"
  fi
  template="$(cat "$TEMPLATES/config.xml.template")"
  template="${template//@SHARD_DIR@/"$dir"}"
  template="${template//@HTTP_PORT@/"${HTTP_PORTS[$i]}"}"
  template="${template//@TCP_PORT@/"${TCP_PORTS[$i]}"}"
  template="${template//@INTERSERVER_PORT@/"${INTERSERVER_PORTS[$i]}"}"
  template="${template//@SHARD1_TCP_PORT@/"${TCP_PORTS[0]}"}"
  template="${template//@SHARD2_TCP_PORT@/"${TCP_PORTS[1]}"}"
  template="${template//@PASSWORD_XML@/"$(xml_escape "$PASSWORD")"}"
  (umask 077 && printf '%s\n' "$template" >"$dir/config.xml")
  template="$(cat "$TEMPLATES/users.xml.template")"
  template="${template//@PASSWORD_ELEMENT@/"$password_element"}"
  (umask 077 && printf '%s\n' "$template" >"$dir/users.xml")
}

start_shard() {
  local index="$1"
  local i=$((index - 1))
  local dir pid
  dir="$(shard_dir "$index")"
  if pid="$(running_pid "$index")"; then
    echo "shard $index already running (pid $pid, http ${HTTP_PORTS[$i]}, tcp ${TCP_PORTS[$i]})"
    return 0
  fi
  rm -f "$(pid_file "$index")"
  for port in "${HTTP_PORTS[$i]}" "${TCP_PORTS[$i]}" "${INTERSERVER_PORTS[$i]}"; do
    if port_busy "$port"; then
      echo "error: port $port on 127.0.0.1 is taken by another process; shard $index cannot start" >&2
      return 1
    fi
  done
  mkdir -p "$dir/data" "$dir/tmp" "$dir/log" "$dir/user_files" "$dir/format_schemas"
  render "$index" "$dir"
  # setsid: the server outlives this script and ignores the caller's terminal signals.
  # 9>&-: the server must not inherit (and so hold) the start/stop lock.
  setsid "$SERVER_BIN" --config-file="$dir/config.xml" >>"$dir/log/stdout.log" 2>&1 </dev/null 9>&- &
  echo $! >"$(pid_file "$index")"
  echo "shard $index starting (pid $!, http ${HTTP_PORTS[$i]}, tcp ${TCP_PORTS[$i]}, dir $dir)"
}

wait_ready() {
  local index="$1"
  local i=$((index - 1))
  local deadline=$((SECONDS + START_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    if answers "${HTTP_PORTS[$i]}"; then return 0; fi
    if ! running_pid "$index" >/dev/null; then
      echo "error: shard $index exited during start-up; see $(shard_dir "$index")/log/" >&2
      tail -n 20 "$(shard_dir "$index")/log/clickhouse-server.err.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 0.3
  done
  echo "error: shard $index did not answer SELECT 1 within ${START_TIMEOUT_S} s" >&2
  return 1
}

stop_shard() {
  local index="$1"
  local pid deadline
  if ! pid="$(running_pid "$index")"; then
    rm -f "$(pid_file "$index")"
    echo "shard $index not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT_S))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "shard $index did not exit within ${STOP_TIMEOUT_S} s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$(pid_file "$index")"
  echo "shard $index stopped (pid $pid)"
}

LEASES="$BASE_DIR/leases"
# Present while the cluster runs because a leased start launched it.
LEASED_START="$BASE_DIR/leased-start"

cluster_up() {
  local s
  for s in "${SHARDS[@]}"; do running_pid "$s" >/dev/null || return 1; done
}

live_leases() {
  local file pid count=0
  mkdir -p "$LEASES"
  for file in "$LEASES"/*; do
    [[ -e "$file" ]] || continue
    pid="$(basename "$file")"
    if kill -0 "$pid" 2>/dev/null; then count=$((count + 1)); else rm -f "$file"; fi
  done
  echo "$count"
}

case "$COMMAND" in
  start)
    if [[ ! -x "$SERVER_BIN" ]]; then
      echo "error: $SERVER_BIN not found; install it with: apt-get install -y clickhouse-server clickhouse-client" >&2
      exit 1
    fi
    exec 9>"$BASE_DIR/.lock"
    flock 9
    was_up=0
    cluster_up && was_up=1
    if [[ -n "$LEASE" ]]; then
      mkdir -p "$LEASES"
      : >"$LEASES/$LEASE"
      [[ $was_up -eq 1 ]] || : >"$LEASED_START"
    else
      # Started by hand: leases must never stop it.
      rm -f "$LEASED_START"
    fi
    for s in "${SHARDS[@]}"; do start_shard "$s"; done
    for s in "${SHARDS[@]}"; do wait_ready "$s"; done
    echo "cluster cxray ready: shards on http ${HTTP_PORTS[*]}"
    ;;
  stop)
    exec 9>"$BASE_DIR/.lock"
    flock 9
    if [[ -n "$LEASE" ]]; then
      rm -f "$LEASES/$LEASE"
      remaining="$(live_leases)"
      if [[ ! -e "$LEASED_START" ]]; then
        echo "cluster left running: it was not started by a lease"
        exit 0
      fi
      if [[ "$remaining" -gt 0 ]]; then
        echo "cluster left running: $remaining lease(s) remain"
        exit 0
      fi
    fi
    for s in "${SHARDS[@]}"; do stop_shard "$s"; done
    rm -f "$LEASED_START"
    ;;
  status)
    up=0
    for s in "${SHARDS[@]}"; do
      i=$((s - 1))
      if pid="$(running_pid "$s")" && answers "${HTTP_PORTS[$i]}"; then
        echo "shard $s running (pid $pid, http ${HTTP_PORTS[$i]}, tcp ${TCP_PORTS[$i]})"
        up=$((up + 1))
      elif pid="$(running_pid "$s")"; then
        echo "shard $s started but not answering (pid $pid)"
      else
        echo "shard $s stopped"
      fi
    done
    [[ $up -eq ${#SHARDS[@]} ]] || exit 3
    ;;
  *) usage ;;
esac
