#!/usr/bin/env bash
# Builds Wafer and the example plugins on a fresh machine, then serves examples/ on http://127.0.0.1:8686.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "Node.js is required (node, npm)" >&2; exit 1; }
[ -d sdk/assemblyscript/node_modules ] || (cd sdk/assemblyscript && npm ci --no-audit --no-fund --loglevel=error)
# The C and Rust examples build with their own build.sh (clang + wasi-libc, Debian's rustc), installed here
# with the rest of the toolchain on a fresh machine.
if ! command -v clang >/dev/null || [ ! -x /usr/bin/rustc ]; then bash scripts/install-test-deps.sh; fi
for script in examples/*/build.sh; do bash "$script" || echo "warning: $script failed; that example is not served" >&2; done

# The weather and ai-chat examples call local stand-ins (examples/stand-ins/server.mjs on 127.0.0.1:8690) so
# they run without keys. For real services: change the connection's baseUrl in the example's wafer.json and
# set its secret as WAFER_<CONNECTION>_<NAME> in the environment or in examples/.env (re-read on change), e.g.
#   WAFER_WEATHER_API_API_KEY=...   WAFER_OPENAI_API_KEY=sk-...
# and point people-db at PostgreSQL with Npgsql settings: WAFER_PEOPLE_DB_CONNECTION="Host=…;Port=5432;Username=…;Password=…;Database=…"
# (scripts/postgres.sh start prints a local one). WAFER_STANDINS=0 skips the stand-ins.
standins=""
if [ "${WAFER_STANDINS:-1}" != "0" ]; then
  port="${WAFER_STANDINS_PORT:-8690}"
  node examples/stand-ins/server.mjs "$port" &
  standins=$!
  trap 'kill "$standins" 2>/dev/null || true' EXIT INT TERM
  # the stand-ins accept any key; a real key set in the environment or examples/.env wins
  grep -qs '^\s*\(export \)\?WAFER_WEATHER_API_API_KEY=' examples/.env || export WAFER_WEATHER_API_API_KEY="${WAFER_WEATHER_API_API_KEY:-local-stand-in-key}"
  grep -qs '^\s*\(export \)\?WAFER_OPENAI_API_KEY=' examples/.env || export WAFER_OPENAI_API_KEY="${WAFER_OPENAI_API_KEY:-local-stand-in-key}"
fi
if [ -n "$standins" ]; then
  ./wafer serve --plugins examples --build "$@"
else
  exec ./wafer serve --plugins examples --build "$@"
fi
