#!/usr/bin/env bash
# Builds build/wasi-job.wasm, a WASI command module (a main, so _start), with clang and wasi-libc
# (Debian: apt install clang lld wasi-libc libclang-rt-dev-wasm32).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug wordcount.c -o build/wasi-job.wasm
echo "built build/wasi-job.wasm ($(wc -c < build/wasi-job.wasm) bytes)"
