#!/usr/bin/env bash
# Puts a wafer executable made by scripts/publish.sh on the PATH.
#   scripts/install.sh                  # .artifacts/bin/<this machine's platform>/wafer into ~/.local/bin
#   scripts/install.sh --prefix /usr/local [FILE]
# Replacing an installed wafer is safe while it runs (the new file is renamed over the old one).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${HOME:?HOME is not set}/.local"
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "error: --prefix needs a folder" >&2; exit 2; }; prefix="$2"; shift 2 ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "error: unknown option '$1' (--prefix DIR)" >&2; exit 2 ;;
    *) file="$1"; shift ;;
  esac
done

if [ -z "$file" ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) file=.artifacts/bin/linux-x64/wafer ;;
    Linux-aarch64) file=.artifacts/bin/linux-arm64/wafer ;;
    *) echo "error: no wafer build for $(uname -s)-$(uname -m); name the file to install" >&2; exit 2 ;;
  esac
fi
[ -f "$file" ] || { echo "error: $file does not exist: run scripts/publish.sh first" >&2; exit 2; }

bin="$prefix/bin"
mkdir -p "$bin"
install -m 0755 "$file" "$bin/.wafer.tmp.$$"
mv -f "$bin/.wafer.tmp.$$" "$bin/wafer"
echo "installed $bin/wafer"
"$bin/wafer" version
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "note: $bin is not on your PATH; add it, e.g. echo 'export PATH=\"$bin:\$PATH\"' >> ~/.bashrc" ;;
esac
