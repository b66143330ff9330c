#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL server for the tests on 127.0.0.1, trust auth, fsync off.
#   scripts/postgres.sh start   -> prints the Npgsql connection string on its last line
#   scripts/postgres.sh stop
set -euo pipefail
port=${WAFER_TEST_POSTGRES_PORT:-55432}
data=/tmp/wafer-test-pg-$port
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL server binaries not found: install the postgresql package" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      rm -rf "$data" && mkdir -p "$data"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$data"
      as_pg "$bin/initdb" -D "$data" -A trust -U postgres >/dev/null
      as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
        -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
