#!/usr/bin/env bash
# Builds build/wagi-hello.wasm, a WASI command module, with clang and wasi-libc
# (Debian: apt install clang lld wasi-libc libclang-rt-dev-wasm32).
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p build
clang --target=wasm32-wasi -O2 -Wall -Wextra -Wl,--strip-debug hello.c -o build/wagi-hello.wasm
echo "built build/wagi-hello.wasm ($(wc -c < build/wagi-hello.wasm) bytes)"
