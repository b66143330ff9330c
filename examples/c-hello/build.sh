#!/usr/bin/env bash
# Builds build/c-hello.wasm with clang, lld and wasi-libc (Debian: apt install clang lld wasi-libc libclang-rt-dev-wasm32).
set -euo pipefail
cd "$(dirname "$0")"
sdk=../../sdk/c
mkdir -p build
clang --target=wasm32-wasi -O2 -Wall -Wextra -nostartfiles -Wl,--no-entry -Wl,--strip-debug \
  -I "$sdk" hello.c "$sdk/wafer.c" -o build/c-hello.wasm
echo "built build/c-hello.wasm ($(wc -c < build/c-hello.wasm) bytes)"
