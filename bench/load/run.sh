#!/usr/bin/env bash
# Load test: wrk against POST /functions/greet on Wafer (fresh instance per call, then instance reuse) and
# against a plain ASP.NET Core endpoint doing the same work, in one run, on loopback. Prints requests/s,
# p50/p99 latency, server CPU time per request and the ratios to the plain endpoint.
#
# Each server is warmed up first (WARMUP, long enough for tiered JIT to settle), then the targets are measured
# in ROUNDS interleaved rounds of DURATION each, so drift on a shared machine hits all of them alike; the
# table shows the median of the rounds. Bounded: 3 x (WARMUP + ROUNDS x DURATION), 2 minutes by default.
#   bench/load/run.sh            ROUNDS=5 DURATION=10s CONNECTIONS=32 THREADS=1 bench/load/run.sh
# BEFORE_DLL: also serve the fresh-instance plugin from that published wafer.dll (a build of an earlier commit),
# measured in the same interleaved rounds, for a before/after in one run. BEFORE_ENV: NAME=VALUE settings for that
# server only, to compare runtime settings (BEFORE_DLL = today's build, BEFORE_ENV=DOTNET_...=...).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
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
./wafer serve --standalone --plugins "$work/fresh" --port 18182 --noreload --storagePath "$work/storage-fresh" >"$work/fresh.log" 2>&1 & pids+=($!)
./wafer serve --standalone --plugins "$work/reuse" --port 18183 --noreload --storagePath "$work/storage-reuse" >"$work/reuse.log" 2>&1 & pids+=($!)
names=(baseline fresh reuse)
ports=(18181 18182 18183)
labels=("plain ASP.NET Core endpoint" "wafer, fresh instance per call" "wafer, instance reuse")
if [ -n "${BEFORE_DLL:-}" ]; then
  read -r -a before_env <<<"${BEFORE_ENV:-}"
  env "${before_env[@]}" dotnet "$BEFORE_DLL" serve --standalone --plugins "$work/fresh" --port 18184 --noreload --storagePath "$work/storage-before" >"$work/before.log" 2>&1 & pids+=($!)
  names+=(before) ports+=(18184) labels+=("wafer fresh, BEFORE_DLL")
fi
n=${#names[@]}

# The process that listens on a port (./wafer execs dotnet, so it is the pid above; this also covers wrappers).
server_pid() { ss -ltnpH "sport = :$1" | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)

for i in $(seq 0 $((n - 1))); do
  for _ in $(seq 1 100); do
    curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"world"}' "http://127.0.0.1:${ports[$i]}/functions/greet" >/dev/null && break
    sleep 0.2
  done
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/load/greet.lua "http://127.0.0.1:${ports[$i]}/functions/greet" >/dev/null
done

measure() { # index round -> appends "rps p50 p99 cpu_us_per_request" to $work/NAME.rounds
  local name=${names[$1]} port=${ports[$1]} pid out c0 c1 requests errors
  pid=$(server_pid "$port")
  c0=$(cpu_ticks "$pid")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/load/greet.lua "http://127.0.0.1:$port/functions/greet" >"$work/$name.$2.wrk"
  c1=$(cpu_ticks "$pid")
  out="$work/$name.$2.wrk"
  requests=$(awk '/requests in/ {print $1}' "$out")
  errors=$(grep -E 'Non-2xx|Socket errors' "$out" || true)
  [ -z "$errors" ] || echo "warning: $name round $2: $errors" >&2
  echo "$(awk '/Requests\/sec/ {print $2}' "$out") $(to_us "$(awk '$1=="50%" {print $2}' "$out")") $(to_us "$(awk '$1=="99%" {print $2}' "$out")") $(awk -v a="$c0" -v b="$c1" -v n="$requests" -v t="$ticks_per_second" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }')" >>"$work/$name.rounds"
}

to_us() { # wrk latency (e.g. 1.23ms, 850.00us, 1.01s) -> microseconds
  awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n*1000; else print n*1000000 }'
}

median() { # column file -> median of that column
  awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

for round in $(seq 1 "$ROUNDS"); do
  # Rotate the order each round so no target always runs first or last.
  for k in $(seq 0 $((n - 1))); do measure $(((k + round) % n)) "$round"; done
done

for name in "${names[@]}"; do
  printf '%s %s %s %s\n' "$(median 1 "$work/$name.rounds")" "$(median 2 "$work/$name.rounds")" \
    "$(median 3 "$work/$name.rounds")" "$(median 4 "$work/$name.rounds")" >"$work/$name.median"
done
read -r b_rps b_p50 b_p99 b_cpu <"$work/baseline.median"

ms() { awk -v u="$1" 'BEGIN { if (u >= 1000) printf "%.2fms", u/1000; else printf "%.0fus", u }'; }
printf '\n%-34s %10s %9s %9s %12s %12s %12s\n' target "req/s" p50 p99 "cpu/request" "req/s ratio" "p99 ratio"
for i in $(seq 0 $((n - 1))); do
  label=${labels[$i]} name=${names[$i]}
  read -r rps p50 p99 cpu <"$work/$name.median"
  printf '%-34s %10.0f %9s %9s %10sus %11.2fx %11.2fx\n' "$label" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$cpu" \
    "$(awk -v a="$rps" -v b="$b_rps" 'BEGIN { print a/b }')" "$(awk -v a="$p99" -v b="$b_p99" 'BEGIN { print a/b }')"
done
echo
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, median of $ROUNDS interleaved rounds after $WARMUP warm-up each,"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ); per-round results in $work/*.rounds"
