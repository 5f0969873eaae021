#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks, without systemd.
#   scripts/pg-cluster.sh start DIR   → prints the database URL on its last line
#   scripts/pg-cluster.sh stop DIR
# DIR must not exist yet and its parent must be open to others (as /tmp is).
# PG_FAST=1 turns fsync off: for tests, never for benchmarks.
# initdb refuses to run as root, so the cluster belongs to the postgres user.
set -euo pipefail
action=${1:?start or stop}
dir=${2:?folder for the cluster}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$pgbin" ] || { echo "PostgreSQL is not installed: run scripts/setup.sh" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

case "$action" in
start)
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
  extra=""
  if [ "${PG_FAST:-0}" = 1 ]; then extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_pg "$pgbin/initdb -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  as_pg "$pgbin/pg_ctl -D '$dir/data' -l '$dir/log' -o \"-p $port -k '$dir' -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB $extra\" -w start" >/dev/null
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -d "$dir/data" ] && as_pg "$pgbin/pg_ctl -D '$dir/data' -m fast -w stop" >/dev/null || true
  rm -rf "$dir"
  ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
