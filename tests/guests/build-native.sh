#!/usr/bin/env bash
# Builds the C and Rust test guests: bash tests/guests/build-native.sh <outdir>
#
#   c/NAME.c + c/NAME.wafer.json        -> <outdir>/NAME.wasm + NAME.wafer.json
#       a manifest with "type": "command" makes a WASI command module (main, _start); otherwise a functions
#       plugin linked with sdk/c/wafer.c as a reactor (no entry point)
#   rust/NAME/lib.rs + rust/NAME.wafer.json -> <outdir>/NAME.wasm + NAME.wafer.json (a cdylib using sdk/rust)
#
# Toolchains (scripts/install-test-deps.sh installs them): clang, lld and wasi-libc; Debian's /usr/bin/rustc with
# libstd-rust-dev-wasm32 (not rustup's rustc, which has no wasm target here). CC and RUSTC override them.
set -euo pipefail
out=${1:?usage: build-native.sh <outdir>}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cc=${CC:-clang}
rustc=${RUSTC:-/usr/bin/rustc}
mkdir -p "$out"
started=$(date +%s%N)
count=0

for source in "$here"/c/*.c; do
  name=$(basename "$source" .c)
  manifest="$here/c/$name.wafer.json"
  if grep -Eq '"type"[[:space:]]*:[[:space:]]*"command"' "$manifest"; then
    "$cc" --target=wasm32-wasi -O2 -Wall -Wextra -Werror -Wl,--strip-debug "$source" -o "$out/$name.wasm"
  else
    "$cc" --target=wasm32-wasi -O2 -Wall -Wextra -Werror -nostartfiles -Wl,--no-entry -Wl,--strip-debug \
      -I "$root/sdk/c" "$source" "$root/sdk/c/wafer.c" -o "$out/$name.wasm"
  fi
  cp "$manifest" "$out/$name.wafer.json"
  count=$((count + 1))
done

for crate in "$here"/rust/*/; do
  name=$(basename "$crate")
  "$rustc" --edition 2021 --target wasm32-wasi --crate-type cdylib -O -C strip=debuginfo \
    "$crate/lib.rs" -o "$out/$name.wasm"
  cp "$here/rust/$name.wafer.json" "$out/$name.wafer.json"
  count=$((count + 1))
done

elapsed_ms=$(( ($(date +%s%N) - started) / 1000000 ))
echo "$count C and Rust guests built into $out in $((elapsed_ms / 1000)).$(( (elapsed_ms % 1000) / 100 )) s"
