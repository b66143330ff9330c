#!/usr/bin/env bash
# Load test of the gateway: wrk against POST /functions/greet of the hello example straight on a runtime, through
# the orchestrator's gateway, and through a standalone `wafer gateway`, in one run on loopback. One orchestrator
# (in-process broker), one runtime joined to it, the example deployed with one replica, so every gateway call
# reaches the same runtime as the direct calls. Prints requests/s, p50/p99 latency, the gateway's CPU time per
# request and the throughput ratio to the direct calls at CONNECTIONS connections, then the p50 latency the
# gateway adds measured at one connection (no queueing: the cost of the extra hop itself). For reference, the same
# calls also go through bench/Wafer.Bench.Proxy, the least a .NET reverse proxy does (Kestrel in, one h2c request to
# the runtime out, nothing else): what the hop would cost over HTTP/2, against the gateway's call protocol.
#
# Warm-up first, then ROUNDS interleaved rounds of DURATION per target (order rotated each round) at CONNECTIONS,
# and ROUNDS more at one connection; medians shown.
#   bench/load/gateway.sh            ROUNDS=5 DURATION=10s CONNECTIONS=32 THREADS=1 bench/load/gateway.sh
# BODY_BYTES: the size of each call's body (default: the 16-byte greet request); over 64 KiB a gateway streams it over
# HTTP instead of the call protocol, so BODY_BYTES=102400 measures that path (the answer is as large).
# GATEWAY_ENV / RUNTIME_ENV: extra NAME=VALUE settings for the gateway processes (orchestrator and `wafer gateway`)
# or the runtime, to compare runtime settings, e.g. GATEWAY_ENV=DOTNET_gcServer=1. WAFER_DLL: run that published
# wafer.dll instead of ./wafer. BEFORE_DLL: also measure a standalone gateway run from that wafer.dll (a build of an
# earlier commit), interleaved with the others, for a before/after in one run; BEFORE_ENV: NAME=VALUE settings for that
# gateway only (BEFORE_DLL = today's build, BEFORE_ENV=DOTNET_...=... compares a setting). PIN=1: the runtime on CPU 0 and
# everything else (orchestrator, gateways, wrk) on the other CPUs, as when gateways run on machines of their own;
# the direct calls then get the same single core for the runtime.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
read -r -a gateway_env <<<"${GATEWAY_ENV:-}"
read -r -a runtime_env <<<"${RUNTIME_ENV:-}"
on_runtime_cpus=() on_other_cpus=()
if [ "${PIN:-0}" = 1 ]; then
  [ "$(nproc)" -ge 2 ] || { echo "PIN=1 needs at least 2 CPUs" >&2; exit 2; }
  on_runtime_cpus=(taskset -c 0) on_other_cpus=(taskset -c "1-$(($(nproc) - 1))")
fi
work="$root/.artifacts/load-gateway"
rm -rf "$work" && mkdir -p "$work"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
./wafer build examples/hello >/dev/null
dotnet publish bench/Wafer.Bench.Proxy -c Release -o "$work/proxy-bin" -nologo -v q -clp:ErrorsOnly
wafer=(./wafer)
[ -z "${WAFER_DLL:-}" ] || wafer=(dotnet "$WAFER_DLL")
echo '{"name":"hello"}' >"$work/hello.wafer.json"
script=bench/load/greet.lua
if [ -n "${BODY_BYTES:-}" ]; then
  script="$work/body.lua"
  cat >"$script" <<LUA
wrk.method = "POST"
wrk.body = '{"name":"' .. string.rep("x", $((BODY_BYTES - 11))) .. '"}'
wrk.headers["Content-Type"] = "application/json"
LUA
fi

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

orchestrator=18280 broker=18281 runtime=18282 standalone=18283 runtime_h2c=18285 proxy=18286
env "${gateway_env[@]}" "${on_other_cpus[@]}" "${wafer[@]}" orchestrator --port $orchestrator --brokerPort $broker --storagePath "$work/orchestrator" >"$work/orchestrator.log" 2>&1 & pids+=($!)
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$orchestrator/readyz" >/dev/null && break; sleep 0.2; done
env "${runtime_env[@]}" "${on_runtime_cpus[@]}" "${wafer[@]}" runtime --join "mqtt://127.0.0.1:$broker" --name bench-rt --port $runtime --h2cPort $runtime_h2c --storagePath "$work/runtime" >"$work/runtime.log" 2>&1 & pids+=($!)
env "${gateway_env[@]}" "${on_other_cpus[@]}" "${wafer[@]}" gateway --orchestrator "http://127.0.0.1:$orchestrator" --port $standalone >"$work/gateway.log" 2>&1 & pids+=($!)
"${on_other_cpus[@]}" dotnet "$work/proxy-bin/Wafer.Bench.Proxy.dll" "http://127.0.0.1:$runtime_h2c" $proxy >"$work/proxy.log" 2>&1 & pids+=($!)
before=18284
read -r -a before_env <<<"${BEFORE_ENV:-}"
[ -z "${BEFORE_DLL:-}" ] || { env "${gateway_env[@]}" "${before_env[@]}" "${on_other_cpus[@]}" dotnet "$BEFORE_DLL" gateway --orchestrator "http://127.0.0.1:$orchestrator" --port $before >"$work/before.log" 2>&1 & pids+=($!); }
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$orchestrator/api/runtimes?alive=true" | grep -q '"online"' && break
  sleep 0.2
done
curl -sf -F plugin=@examples/hello/build/hello.wasm -F manifest=@"$work/hello.wafer.json" -F name=hello -F replicas=1 \
  "http://127.0.0.1:$orchestrator/api/deployments" >/dev/null

names=(direct gateway standalone proxy)
ports=($runtime $orchestrator $standalone $proxy)
labels=("runtime, direct" "gateway in the orchestrator" "gateway alone (wafer gateway)" "plain .NET proxy (reference)")
if [ -n "${BEFORE_DLL:-}" ]; then names+=(before); ports+=($before); labels+=("gateway alone, BEFORE_DLL"); fi
n=${#names[@]}

server_pid() { ss -ltnpH "sport = :$1" | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ticks_per_second=$(getconf CLK_TCK)
runtime_pid=$(server_pid $runtime)

for i in $(seq 0 $((n - 1))); do
  for _ in $(seq 1 150); do
    curl -sf -X POST -H 'Content-Type: application/json' -d '{"name":"world"}' "http://127.0.0.1:${ports[$i]}/functions/greet" >/dev/null && break
    sleep 0.2
  done
  "${on_other_cpus[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$script" "http://127.0.0.1:${ports[$i]}/functions/greet" >/dev/null
done

to_us() { awk -v v="$1" 'BEGIN { n=v+0; if (v ~ /us$/) print n; else if (v ~ /ms$/) print n*1000; else print n*1000000 }'; }
median() { awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # index round connections suffix -> appends "rps p50 p99 cpu_us_per_request(of the process on that port) runtime_cpu_us_per_request" to $work/NAME$4.rounds
  local name=${names[$1]}$4 port=${ports[$1]} pid out c0 c1 r0 r1 requests errors
  pid=$(server_pid "$port")
  c0=$(cpu_ticks "$pid") r0=$(cpu_ticks "$runtime_pid")
  out="$work/$name.$2.wrk"
  "${on_other_cpus[@]}" wrk -t"$THREADS" -c"$3" -d"$DURATION" --latency -s "$script" "http://127.0.0.1:$port/functions/greet" >"$out"
  c1=$(cpu_ticks "$pid") r1=$(cpu_ticks "$runtime_pid")
  requests=$(awk '/requests in/ {print $1}' "$out")
  errors=$(grep -E 'Non-2xx|Socket errors' "$out" || true)
  [ -z "$errors" ] || echo "warning: $name round $2: $errors" >&2
  echo "$(awk '/Requests\/sec/ {print $2}' "$out") $(to_us "$(awk '$1=="50%" {print $2}' "$out")") $(to_us "$(awk '$1=="99%" {print $2}' "$out")") $(awk -v a="$c0" -v b="$c1" -v n="$requests" -v t="$ticks_per_second" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }') $(awk -v a="$r0" -v b="$r1" -v n="$requests" -v t="$ticks_per_second" 'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }')" >>"$work/$name.rounds"
}

for round in $(seq 1 "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do measure $(((k + round) % n)) "$round" "$CONNECTIONS" ""; done
done
for round in $(seq 1 "$ROUNDS"); do
  for k in $(seq 0 $((n - 1))); do measure $(((k + round) % n)) "$round" 1 "-c1"; done
done

for name in "${names[@]}" "${names[@]/%/-c1}"; do
  printf '%s %s %s %s %s\n' "$(median 1 "$work/$name.rounds")" "$(median 2 "$work/$name.rounds")" \
    "$(median 3 "$work/$name.rounds")" "$(median 4 "$work/$name.rounds")" "$(median 5 "$work/$name.rounds")" >"$work/$name.median"
done
read -r d_rps _ _ _ _ <"$work/direct.median"
read -r _ d1_p50 _ _ _ <"$work/direct-c1.median"

ms() { awk -v u="$1" 'BEGIN { if (u >= 1000) printf "%.2fms", u/1000; else printf "%.0fus", u }'; }
printf '\n%-30s %9s %8s %8s %12s %12s %11s %11s %12s\n' target "req/s" p50 p99 "cpu/request" "runtime cpu" "req/s ratio" "p50 at -c1" "added p50"
for i in $(seq 0 $((n - 1))); do
  read -r rps p50 p99 cpu runtime_cpu <"$work/${names[$i]}.median"
  read -r _ p50_1 _ _ _ <"$work/${names[$i]}-c1.median"
  printf '%-30s %9.0f %8s %8s %10sus %10sus %10.2fx %11s %12s\n' "${labels[$i]}" "$rps" "$(ms "$p50")" "$(ms "$p99")" "$cpu" "$runtime_cpu" \
    "$(awk -v a="$rps" -v b="$d_rps" 'BEGIN { print a/b }')" "$(ms "$p50_1")" "$(awk -v a="$p50_1" -v b="$d1_p50" 'BEGIN { printf "%.0fus", a-b }')"
done
echo
echo "cpu/request: CPU time of the process serving the port (the runtime for direct, the gateway otherwise); runtime cpu: the runtime's"
[ "${PIN:-0}" != 1 ] || echo "PIN=1: the runtime on CPU 0, the orchestrator, the gateways and wrk on the others"
echo "wrk -t$THREADS -c$CONNECTIONS (and -c1) -d$DURATION --latency, median of $ROUNDS interleaved rounds after $WARMUP warm-up each,${BODY_BYTES:+ bodies of $BODY_BYTES bytes,}"
[ -z "${GATEWAY_ENV:-}${RUNTIME_ENV:-}" ] || echo "GATEWAY_ENV='${GATEWAY_ENV:-}' RUNTIME_ENV='${RUNTIME_ENV:-}'"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ); per-round results in $work/*.rounds"
