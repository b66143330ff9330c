#!/usr/bin/env bash
# Installs the tools the tests need on a fresh machine (which has only the .NET SDK and Node/npm).
# Idempotent: installs nothing that is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v node >/dev/null || { echo "Node.js is required (node, npm)" >&2; exit 1; }

apt_packages=(postgresql mariadb-server mosquitto clang lld wasi-libc libclang-rt-dev-wasm32 rustc libstd-rust-dev-wasm32 prometheus podman runc mmdebstrap uidmap chromium)  # C and Rust guests: tests/guests/build-native.sh; prometheus: promtool checks every /metrics; podman, runc, mmdebstrap: the container image (scripts/container.sh); chromium: the console's browser tests (tests/Wafer.Browser.Tests)
if [ ${#apt_packages[@]} -gt 0 ]; then
  missing=()
  for p in "${apt_packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi

[ -d sdk/assemblyscript/node_modules ] || (cd sdk/assemblyscript && npm ci --no-audit --no-fund --loglevel=error)
[ -d tests/guests/node_modules ] || (cd tests/guests && npm ci --no-audit --no-fund --loglevel=error)
[ -d tests/graphql-clients/node_modules ] || (cd tests/graphql-clients && npm ci --no-audit --no-fund --loglevel=error)  # graphql-http audits, graphql-js
[ -d console/node_modules ] || (cd console && npm ci --no-audit --no-fund --loglevel=error)  # the web console's bundler and libraries (the build runs it too)
[ -d tests/s3-server/node_modules ] || (cd tests/s3-server && npm ci --no-audit --no-fund --loglevel=error)  # s3rver: plugins loaded from S3
