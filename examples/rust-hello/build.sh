#!/usr/bin/env bash
# Builds build/rust-hello.wasm with Debian's rustc and its wasm32-wasi standard library
# (apt install rustc libstd-rust-dev-wasm32). No cargo, no crates. RUSTC overrides the compiler; a rustup
# toolchain works too once it has the target (rustup target add wasm32-wasip1; then pass --target wasm32-wasip1).
set -euo pipefail
cd "$(dirname "$0")"
rustc=${RUSTC:-/usr/bin/rustc}
target=${TARGET:-wasm32-wasi}
mkdir -p build
"$rustc" --edition 2021 --target "$target" --crate-type cdylib -O -C strip=debuginfo src/lib.rs -o build/rust-hello.wasm
echo "built build/rust-hello.wasm ($(wc -c < build/rust-hello.wasm) bytes)"
