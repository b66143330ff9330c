#!/usr/bin/env bash
# Many plugins in one runtime: COUNT copies of the hello example (default 1000), each under its own name and each a
# distinct module (a custom section carrying its number, so every copy has its own hash and compiled code, as distinct
# plugins would), served by one `wafer serve --standalone`, next to a server with one copy. Prints, in one run:
#   - load time from a warm compiled-code cache: process start to the last plugin answering, for COUNT and for 1
#     (the difference is what loading COUNT-1 more plugins costs), and the runtime's own "Loaded plugin" times;
#   - memory per idle plugin: (RSS with COUNT - RSS with 1) / (COUNT - 1), after both have loaded and served a call,
#     with where it lies (/proc/PID/smaps_rollup: anonymous and file-backed; GC heap from GET /metrics; open fds);
#   - call latency of one plugin's function with COUNT loaded and with 1 loaded: wrk, ROUNDS interleaved rounds of
#     DURATION after WARMUP each, medians.
# The first start compiles every copy into the cache (bench/plugins keeps it under .artifacts/plugins, so later runs
# start warm); every figure comes from a second start.
#   bench/plugins/run.sh              COUNT=200 ROUNDS=3 DURATION=10s bench/plugins/run.sh
# WAFER_DLL: run that published wafer.dll instead of ./wafer. BEFORE_DLL: also start COUNT plugins with that
# wafer.dll (a build of an earlier commit) and measure it the same way, side by side, for a before/after in one run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
COUNT=${COUNT:-1000}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-8}
[[ $COUNT =~ ^[0-9]+$ ]] && [ "$COUNT" -ge 2 ] || { echo "COUNT must be a whole number of at least 2, got '$COUNT'" >&2; exit 2; }
work="$root/.artifacts/plugins"
mkdir -p "$work"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
wafer=(./wafer)
[ -z "${WAFER_DLL:-}" ] || wafer=(dotnet "$WAFER_DLL")
"${wafer[@]}" build examples/hello >/dev/null

# The plugin folders: many/p0001.wasm ... and one/p0001.wasm, the same bytes as many's first. Kept between runs
# (with their storage, and so their compiled-code cache) while the example and COUNT are unchanged.
stamp="$(sha256sum examples/hello/build/hello.wasm | cut -c1-16)-$COUNT"
if [ "$(cat "$work/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$work/many" "$work/one" "$work"/storage-* && mkdir -p "$work/many" "$work/one"
  python3 - examples/hello/build/hello.wasm "$work/many" "$COUNT" <<'PY'
import sys
source, folder, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
wasm = open(source, "rb").read()
def leb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)
name = b"bench.copy"
for i in range(1, count + 1):
    payload = leb(len(name)) + name + str(i).encode()
    with open(f"{folder}/p{i:04d}.wasm", "wb") as f:
        f.write(wasm + b"\x00" + leb(len(payload)) + payload)  # a custom section at the end: valid, ignored
PY
  cp "$work/many/p0001.wasm" "$work/one/p0001.wasm"
  echo "$stamp" >"$work/stamp"
fi

free_ports() {
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

call() { curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"name":"world"}' "http://127.0.0.1:$1/functions/$2/greet" || true; }
now_ms() { date +%s%3N; }

start_server() { # label folder port command... -> starts it, waits for its last plugin, sets started_pid and ready_ms
  local label=$1 folder=$2 port=$3 last t0
  shift 3
  last=$(find "$folder" -name '*.wasm' -printf '%f\n' | sort | tail -1)
  last=${last%.wasm}
  t0=$(now_ms)
  "$@" serve --standalone --plugins "$folder" --port "$port" --noreload --storagePath "$work/storage-$label" >"$work/$label.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
  for _ in $(seq 1 6000); do
    [ "$(call "$port" "$last")" = 200 ] && break
    kill -0 "$started_pid" 2>/dev/null || { echo "$label exited; see $work/$label.log" >&2; exit 1; }
    sleep 0.05
  done
  [ "$(call "$port" "$last")" = 200 ] || { echo "$label: $last never answered; see $work/$label.log" >&2; exit 1; }
  ready_ms=$(($(now_ms) - t0))
}

stop_server() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# 1. Warm the caches: a first start compiles each distinct module once into its storage's cache (kept for later runs),
#    and warms the file system's cache for the measured starts; then stop. BEFORE_DLL's storage gets a copy of the cache.
labels=(many one)
folders=("$work/many" "$work/one")
commands=("${wafer[*]}" "${wafer[*]}")
if [ -n "${BEFORE_DLL:-}" ]; then labels+=(before); folders+=("$work/many"); commands+=("dotnet $BEFORE_DLL"); fi
n=${#labels[@]}
for i in 0 1; do
  read -r port <<<"$(free_ports 1)"
  read -r -a command <<<"${commands[$i]}"
  start_server "${labels[$i]}" "${folders[$i]}" "$port" "${command[@]}"
  stop_server "$started_pid"
done
if [ -n "${BEFORE_DLL:-}" ]; then rm -rf "$work/storage-before" && mkdir -p "$work/storage-before" && cp -r "$work/storage-many/cache" "$work/storage-before/"; fi

# 2. Start each again from its warm cache, one at a time (so one does not slow the other's start), and keep them running.
declare -A port_of pid_of ready_of
for i in $(seq 0 $((n - 1))); do
  read -r port <<<"$(free_ports 1)"
  read -r -a command <<<"${commands[$i]}"
  start_server "${labels[$i]}" "${folders[$i]}" "$port" "${command[@]}"
  port_of[${labels[$i]}]=$port pid_of[${labels[$i]}]=$started_pid ready_of[${labels[$i]}]=$ready_ms
done

# 3. Memory once idle: every server has answered a call; let the start's garbage go first.
for label in "${labels[@]}"; do call "${port_of[$label]}" p0001 >/dev/null; done
sleep 5
memory() { # pid port -> "rss_mib anon_mib file_mib gc_mib fds"
  awk '/^Rss:/ {r = $2} /^Anonymous:/ {a = $2} END {printf "%.1f %.1f %.1f ", r / 1024, a / 1024, (r - a) / 1024}' "/proc/$1/smaps_rollup"
  curl -sf "http://127.0.0.1:$2/metrics" | awk '$1 == "dotnet_total_memory_bytes" {printf "%.1f ", $2 / 1048576}'
  find "/proc/$1/fd" -mindepth 1 -maxdepth 1 | wc -l
}
declare -A mem_of
for label in "${labels[@]}"; do mem_of[$label]=$(memory "${pid_of[$label]}" "${port_of[$label]}"); done
loaded_ms() { # log -> sum and count of the "Loaded plugin ... in X ms" times (reading the compiled code, checking, linking)
  grep -oE ', cache in [0-9.]+ ms' "$1" | grep -oE '[0-9.]+' | awk '{s += $1; n++} END {printf "%.0f ms over %d plugins", s, n}'
}
scan_ms() { # log -> the folder scan: first module loaded to last plugin published, from the log's timestamps
  awk '/WasmHost\[100[12]\]/ && !a {a = $1} /PluginReloader\[2200\]/ {b = $1}
    function s(t,  p) {split(t, p, ":"); return p[1] * 3600 + p[2] * 60 + p[3]}
    END {printf "%.0f", (s(b) - s(a)) * 1000}' "$1"
}

# 4. Call latency of p0001 with COUNT loaded and with 1 loaded, interleaved rounds.
to_us() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n*1000; else print n*1000000 }'; }
median() { awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
for label in "${labels[@]}"; do
  rm -f "$work/$label.rounds"
  wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/load/greet.lua "http://127.0.0.1:${port_of[$label]}/functions/p0001/greet" >/dev/null
done
for round in $(seq 1 "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do
    label=${labels[$(((k + round) % n))]}
    out="$work/$label.$round.wrk"
    c0=$(cpu_ticks "${pid_of[$label]}")
    wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/greet.lua "http://127.0.0.1:${port_of[$label]}/functions/p0001/greet" >"$out"
    c1=$(cpu_ticks "${pid_of[$label]}")
    ! grep -qE 'Non-2xx|Socket errors' "$out" || echo "warning: $label round $round: $(grep -E 'Non-2xx|Socket errors' "$out")" >&2
    requests=$(awk '/requests in/ {print $1}' "$out")
    echo "$(awk '/Requests\/sec/ {print $2}' "$out") $(to_us "$(awk '$1=="50%" {print $2}' "$out")") $(to_us "$(awk '$1=="99%" {print $2}' "$out")") $(awk -v a="$c0" -v b="$c1" -v n="$requests" -v t="$ticks_per_second" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }')" >>"$work/$label.rounds"
  done
done

describe() { case $1 in many) echo "$COUNT plugins" ;; one) echo "1 plugin" ;; before) echo "$COUNT plugins, BEFORE_DLL" ;; esac; }
echo
printf '%-22s %9s %9s %9s %9s %8s %6s %9s %8s %8s %11s\n' server "ready" "RSS MiB" "anon MiB" "file MiB" "GC MiB" fds "req/s" p50 p99 "cpu/request"
for label in "${labels[@]}"; do
  read -r rss anon file gc fds <<<"${mem_of[$label]}"
  printf '%-22s %7sms %9s %9s %9s %8s %6s %9.0f %6sus %6sus %9sus\n' "$(describe "$label")" "${ready_of[$label]}" "$rss" "$anon" "$file" "$gc" "$fds" \
    "$(median 1 "$work/$label.rounds")" "$(median 2 "$work/$label.rounds")" "$(median 3 "$work/$label.rounds")" "$(median 4 "$work/$label.rounds")"
done
echo
read -r many_rss _ _ _ many_fds <<<"${mem_of[many]}"
read -r one_rss _ _ _ one_fds <<<"${mem_of[one]}"
awk -v a="$many_rss" -v b="$one_rss" -v n="$COUNT" -v ra="${ready_of[many]}" -v rb="${ready_of[one]}" 'BEGIN {
  printf "per idle plugin: %.0f KiB of RSS; %d more plugins took %.0f ms more to start (%.2f ms each)\n", (a - b) * 1024 / (n - 1), n - 1, ra - rb, (ra - rb) / (n - 1) }'
for label in "${labels[@]}"; do
  echo "$(describe "$label"): folder scan $(scan_ms "$work/$label.log") ms (first module loaded to last plugin published); module loads logged: $(loaded_ms "$work/$label.log")"
done
awk -v a="$(median 1 "$work/many.rounds")" -v b="$(median 1 "$work/one.rounds")" -v pa="$(median 3 "$work/many.rounds")" -v pb="$(median 3 "$work/one.rounds")" \
  'BEGIN { printf "call p0001 with %s loaded vs 1: req/s %.2fx, p99 %.2fx\n", "'"$COUNT"'", a / b, pa / pb }'
echo
echo "ready: process start to the last plugin answering, warm compiled-code cache; memory after one call and 5 s idle"
echo "wrk -t1 -c$CONNECTIONS -d$DURATION --latency POST /functions/p0001/greet, median of $ROUNDS interleaved rounds after $WARMUP warm-up each"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ); logs and rounds in $work"
