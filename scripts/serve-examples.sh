#!/usr/bin/env bash
# Builds Wafer and the example plugins on a fresh machine, then serves examples/ on http://127.0.0.1:8686.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "Node.js is required (node, npm)" >&2; exit 1; }
[ -d sdk/assemblyscript/node_modules ] || (cd sdk/assemblyscript && npm ci --no-audit --no-fund --loglevel=error)
exec ./wafer serve --plugins examples --build "$@"
