#!/usr/bin/env bash
# Starts (or stops) a throwaway MariaDB server (MySQL-compatible) for the tests on 127.0.0.1, root without a
# password, no fsync. Needs Debian's mariadb-server package (scripts/install-test-deps.sh installs it).
#   scripts/mariadb.sh start   -> prints the MySqlConnector connection string on its last line
#   scripts/mariadb.sh stop
set -euo pipefail
port=${WAFER_TEST_MYSQL_PORT:-53306}
data=/tmp/wafer-test-mariadb-$port
socket=$data/mysqld.sock
command -v mariadbd >/dev/null || { echo "MariaDB server binaries not found: install the mariadb-server package" >&2; exit 1; }
as_mysql() { if [ "$(id -u)" = 0 ]; then runuser -u mysql -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if ! mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1; then
      rm -rf "$data" && mkdir -p "$data/db"
      [ "$(id -u)" = 0 ] && chown -R mysql:mysql "$data"
      as_mysql mariadb-install-db --datadir="$data/db" --auth-root-authentication-method=normal --skip-test-db >/dev/null
      as_mysql mariadbd --datadir="$data/db" --port="$port" --bind-address=127.0.0.1 --socket="$socket" \
        --pid-file="$data/mysqld.pid" --log-error="$data/server.log" --skip-name-resolve \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --max-connections=200 >/dev/null 2>&1 &
      for _ in $(seq 1 120); do
        mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1 && break
        sleep 0.5
      done
      mariadb-admin --socket="$socket" -uroot ping >/dev/null 2>&1 || { cat "$data/server.log" >&2; exit 1; }
    fi
    echo "Server=127.0.0.1;Port=$port;User ID=root;Database=mysql"
    ;;
  stop)
    mariadb-admin --socket="$socket" -uroot shutdown >/dev/null 2>&1 || true
    ;;
esac
