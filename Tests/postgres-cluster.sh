#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the PostgreSQL conformance runs: nothing here is for
# production (fsync is off, the data lives in a temporary directory).
#
#   Tests/postgres-cluster.sh start [ENV_FILE]
#       Creates and starts a cluster on a free loopback port and prints the lines to eval:
#         export SOLMU_TEST_POSTGRES_URL=postgres://solmu:PASSWORD@127.0.0.1:PORT/postgres
#         export SOLMU_TEST_POSTGRES_DIR=DIR
#       With ENV_FILE, writes them there instead. Exits 3 when PostgreSQL is not installed.
#   Tests/postgres-cluster.sh stop DIR
#       Stops the cluster in DIR and removes DIR.
#
# Works as root (the server runs as the `postgres` user: initdb refuses root) and as any other
# user (the server runs as that user).
set -euo pipefail

find_bin() {
  local dir
  # The newest installed major version.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
    return 0
  fi
  return 1
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A port nobody listens on now (pg_ctl start is retried should it be taken meanwhile).
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' && return 0
  fi
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
}

start() {
  local env_file="${1:-}"
  local bin
  if ! bin=$(find_bin); then
    echo "PostgreSQL not found" >&2
    exit 3
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "running as root needs a 'postgres' user to own the cluster" >&2
    exit 1
  fi

  local dir
  dir=$(mktemp -d /tmp/solmu-pg.XXXXXX)
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi

  # Letters and digits only, so that the URL needs no percent-encoding.
  local password
  password=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  local pwfile="$dir/pwfile"
  (umask 077; printf '%s\n' "$password" > "$pwfile")
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$pwfile"; fi

  as_owner "$bin/initdb" --pgdata="$dir/data" --username=solmu --pwfile="$pwfile" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || as_owner "$bin/initdb" --pgdata="$dir/data" --username=solmu --pwfile="$pwfile" \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  rm -f "$pwfile"

  local port attempt
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=128MB" \
      start >/dev/null; then
      break
    fi
    port=""
  done
  if [ -z "$port" ]; then
    tail -20 "$dir/server.log" >&2 || true
    rm -rf "$dir"
    echo "could not start PostgreSQL" >&2
    exit 1
  fi

  local lines="export SOLMU_TEST_POSTGRES_URL=postgres://solmu:$password@127.0.0.1:$port/postgres
export SOLMU_TEST_POSTGRES_DIR=$dir"
  if [ -n "$env_file" ]; then
    (umask 077; printf '%s\n' "$lines" > "$env_file")
  else
    printf '%s\n' "$lines"
  fi
}

stop() {
  local dir="${1:?usage: postgres-cluster.sh stop DIR}"
  case "$dir" in
    /tmp/solmu-pg.*) ;;
    *) echo "refusing to remove $dir: not a cluster made by this script" >&2; exit 1 ;;
  esac
  local bin
  if bin=$(find_bin) && [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start [ENV_FILE] | stop DIR" >&2; exit 2 ;;
esac
