#!/usr/bin/env bash
# Builds the wafer container image with podman, offline: the base is made from this machine's apt sources with
# mmdebstrap (no registry), the executable by scripts/publish.sh, the image from container/Containerfile.
#   scripts/container.sh                    # localhost/wafer:latest
#   scripts/container.sh localhost/wafer:1  # another tag
#   scripts/container.sh --base             # only make (or check) the cached base
# The base (about 60 MB: the Debian the image's files are taken from; the image itself is those files on scratch) is made once and kept in
# WAFER_CONTAINER_CACHE (default ~/.cache/wafer/container), so later builds take only the publish and a few seconds
# of podman. Needs root (mmdebstrap --mode=root, podman) and
# the packages podman, runc, mmdebstrap (scripts/install-test-deps.sh installs them). docs/container.md also shows
# the usual `podman build` / `docker build` on a registry base.
set -euo pipefail
cd "$(dirname "$0")/.."

image=${1:-localhost/wafer:latest}
base=localhost/wafer-base:bookworm-minimal
cache=${WAFER_CONTAINER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/wafer/container}
# podman's defaults need privileges some machines' root lacks; keep the caller's own settings when given
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/container/containers.conf}

for tool in podman mmdebstrap; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install podman runc mmdebstrap, or scripts/install-test-deps.sh)" >&2; exit 1; }
done

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "error: no image for $(uname -m): linux-x64 or linux-arm64 machines" >&2; exit 2 ;;
esac

# 1. the base: Debian bookworm's essential packages and what a self-contained .NET executable needs, from the host's
# apt sources. No ICU (31 MB of locale data; the image sets DOTNET_SYSTEM_GLOBALIZATION_INVARIANT), and none of the
# documentation, manuals, translations or glibc's iconv modules (.NET does not use iconv)
packages=libstdc++6,libgcc-s1,libssl3,zlib1g,ca-certificates,tzdata
excludes=(
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/locale/*'
  --dpkgopt='path-exclude=/usr/share/info/*' --dpkgopt='path-exclude=/usr/lib/*/gconv/*'
)
rootfs="$cache/bookworm-minimal.tar"
stamp="$cache/bookworm-minimal.packages"
if [ ! -f "$rootfs" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$packages ${excludes[*]}" ]; then
  mkdir -p "$cache"
  sources=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)
  [ -n "$sources" ] || sources=/etc/apt/sources.list
  echo "making the base from $sources (once; kept in $cache)"
  mmdebstrap --variant=essential --mode=root --format=tar --quiet \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --include="$packages" "${excludes[@]}" \
    --customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
    bookworm "$rootfs.tmp" "$sources"
  mv -f "$rootfs.tmp" "$rootfs"
  echo "$packages ${excludes[*]}" > "$stamp"
  podman rmi -f "$base" >/dev/null 2>&1 || true
fi
if ! podman image exists "$base"; then
  podman import --quiet --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["/bin/bash"]' "$rootfs" "$base" >/dev/null
fi

[ "$image" = "--base" ] && { echo "$base"; exit 0; }

# 2. the executable
# not compressed: compressed assemblies are inflated into private memory at every start (1.9 s to the first call
# instead of 0.8 s, and 110 MB more unshared memory per process; docs/container.md)
bash scripts/publish.sh "$rid"
context=.artifacts/container
rm -rf "$context" && mkdir -p "$context"
cp ".artifacts/bin/$rid/wafer" "$context/wafer"

# 3. the image (docker format: OCI images have no HEALTHCHECK)
podman build --quiet --network none --pull=never --format docker --build-arg "BASE=$base" \
  -t "$image" -f container/Containerfile "$context"
echo "$image ($(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%d MB", $1 / 1000000}'))"
