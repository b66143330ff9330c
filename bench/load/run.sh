#!/usr/bin/env bash
# Load test: wrk against POST /functions/greet on Wafer (fresh instance per call, then instance reuse) and
# against a plain ASP.NET Core endpoint doing the same work, in one run, on loopback. Prints requests/s,
# p50/p99 latency and the ratios to the plain endpoint. Bounded: DURATION per target (default 10s).
#   bench/load/run.sh            DURATION=5s CONNECTIONS=32 THREADS=1 bench/load/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
work="$root/.artifacts/load"
rm -rf "$work" && mkdir -p "$work/fresh" "$work/reuse"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
./wafer build examples/hello >/dev/null
dotnet publish bench/Wafer.Bench.Baseline -c Release -o "$work/baseline-bin" -nologo -v q -clp:ErrorsOnly

cp examples/hello/build/hello.wasm "$work/fresh/hello.wasm"
echo '{"name":"hello"}' >"$work/fresh/hello.wafer.json"
cp examples/hello/build/hello.wasm "$work/reuse/hello.wasm"
echo '{"name":"hello","reuseInstances":true}' >"$work/reuse/hello.wafer.json"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

ASPNETCORE_URLS=http://127.0.0.1:18181 dotnet "$work/baseline-bin/Wafer.Bench.Baseline.dll" >"$work/baseline.log" 2>&1 & pids+=($!)
./wafer serve --plugins "$work/fresh" --port 18182 --noreload --storagePath "$work/storage" >"$work/fresh.log" 2>&1 & pids+=($!)
./wafer serve --plugins "$work/reuse" --port 18183 --noreload --storagePath "$work/storage" >"$work/reuse.log" 2>&1 & pids+=($!)

for port in 18181 18182 18183; do
  for _ in $(seq 1 100); do
    curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"world"}' "http://127.0.0.1:$port/functions/greet" >/dev/null && break
    sleep 0.2
  done
done

measure() { # name port -> "rps p50 p99"
  # warm up, then measure
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s bench/load/greet.lua "http://127.0.0.1:$2/functions/greet" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/greet.lua "http://127.0.0.1:$2/functions/greet" >"$work/$1.wrk"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.wrk")
  errors=$(grep -E 'Non-2xx|Socket errors' "$work/$1.wrk" || true)
  [ -z "$errors" ] || echo "warning: $1: $errors" >&2
  echo "$rps $p50 $p99"
}

to_us() { # wrk latency (e.g. 1.23ms, 850.00us, 1.01s) -> microseconds
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n*1000; else print n*1000000 }'
}

read -r b_rps b_p50 b_p99 <<<"$(measure baseline 18181)"
read -r f_rps f_p50 f_p99 <<<"$(measure fresh 18182)"
read -r r_rps r_p50 r_p99 <<<"$(measure reuse 18183)"

printf '\n%-34s %12s %10s %10s %12s %12s\n' target "req/s" p50 p99 "req/s ratio" "p99 ratio"
for row in "plain ASP.NET Core endpoint|$b_rps|$b_p50|$b_p99" "wafer, fresh instance per call|$f_rps|$f_p50|$f_p99" "wafer, instance reuse|$r_rps|$r_p50|$r_p99"; do
  IFS='|' read -r name rps p50 p99 <<<"$row"
  ratio=$(awk -v a="$rps" -v b="$b_rps" 'BEGIN { printf "%.2fx", a/b }')
  pratio=$(awk -v a="$(to_us "$p99")" -v b="$(to_us "$b_p99")" 'BEGIN { printf "%.2fx", a/b }')
  printf '%-34s %12s %10s %10s %12s %12s\n' "$name" "$rps" "$p50" "$p99" "$ratio" "$pratio"
done
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
