#!/usr/bin/env bash
# Publishes wafer as one self-contained executable per Linux platform: .artifacts/bin/RID/wafer. It needs no .NET
# on the machine it runs on (Node.js and npm still build AssemblyScript plugins); the guest SDK is inside it.
# ReadyToRun code, so a fresh process starts and answers its first calls sooner.
#   scripts/publish.sh                      # this machine's platform
#   scripts/publish.sh linux-x64 linux-arm64
#   scripts/publish.sh --compressed         # the assemblies compressed inside the executable (less than half the
#                                           # size, but inflated into private memory at every start: twice the start
#                                           # time, 110 MB more memory per process; docs/container.md)
set -euo pipefail
cd "$(dirname "$0")/.."

compress=false
if [ "${1:-}" = "--compressed" ]; then
  compress=true
  shift
fi

if [ $# -eq 0 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) set -- linux-x64 ;;
    Linux-aarch64) set -- linux-arm64 ;;
    *) echo "error: no default platform for $(uname -s)-$(uname -m); name one: linux-x64 or linux-arm64" >&2; exit 2 ;;
  esac
fi

for rid in "$@"; do
  case "$rid" in
    linux-x64|linux-arm64) ;;
    *) echo "error: unsupported platform '$rid': linux-x64 or linux-arm64" >&2; exit 2 ;;
  esac
  staging=".artifacts/publish/$rid"
  rm -rf "$staging"
  # native libraries (Wasmtime, SQLite) go inside the executable too and are unpacked on first start
  # (to DOTNET_BUNDLE_EXTRACT_BASE_DIR, else ~/.net)
  dotnet publish src/Wafer.Cli -c Release -r "$rid" --self-contained true \
    -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none \
    -p:EnableCompressionInSingleFile=$compress \
    -o "$staging" -nologo -v q -clp:ErrorsOnly
  mkdir -p ".artifacts/bin/$rid"
  cp "$staging/wafer" ".artifacts/bin/$rid/wafer.tmp" && mv -f ".artifacts/bin/$rid/wafer.tmp" ".artifacts/bin/$rid/wafer"
  echo ".artifacts/bin/$rid/wafer ($(du -m ".artifacts/bin/$rid/wafer" | cut -f1) MB)"
done
