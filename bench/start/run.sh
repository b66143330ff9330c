#!/usr/bin/env bash
# Start-up time, side by side: from process start to the first 200 of
#   baseline  a plain ASP.NET Core app (bench/Wafer.Bench.Baseline): POST /functions/greet
#   serve     `wafer serve --plugins examples` (every example, orchestrator and broker included): POST /functions/hello/greet
#   join      `wafer runtime --join` into a running orchestrator that has hello deployed (one replica): the call
#             through the orchestrator's gateway, and (second figure) when GET /api/runtimes first lists it online
# The compiled-code cache is warm (one unmeasured start of each first); ROUNDS interleaved rounds, medians and
# the ratios to the plain app. BEFORE_DLL: also time that published wafer.dll (a build of an earlier commit) in the
# same rounds (or an executable: a self-contained build's `wafer`). The CLI is ./wafer's build (Release, ReadyToRun); the plain app is published Release as
# bench/load/run.sh does.
#   bench/start/run.sh          ROUNDS=9 BEFORE_DLL=/tmp/start-before/wafer.dll bench/start/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
ROUNDS=${ROUNDS:-7}
work="$root/.artifacts/start"
probe="python3 $root/bench/start/probe.py"
rm -rf "$work" && mkdir -p "$work"

./wafer version >/dev/null # builds .artifacts/cli when the sources changed
dotnet publish bench/Wafer.Bench.Baseline -c Release -o "$work/baseline-bin" -nologo -v q -clp:ErrorsOnly
# the examples as README's first command serves them, built once and copied, so no build output changes under a server
for script in examples/*/build.sh; do bash "$script" >/dev/null; done
for project in examples/*/package.json; do ./wafer build "$(dirname "$project")" >/dev/null; done
cp -r examples "$work/examples"
rm -rf "$work"/examples/*/node_modules

after="$root/.artifacts/cli/wafer.dll"
builds=(after)
dlls=("$after")
if [ -n "${BEFORE_DLL:-}" ]; then builds+=(before) dlls+=("$BEFORE_DLL"); fi

# a published wafer.dll runs on the machine's .NET, a self-contained build's executable as it is (paths without spaces)
launch=()
for dll in "${dlls[@]}"; do case "$dll" in *.dll) launch+=("dotnet $dll") ;; *) launch+=("$dll") ;; esac; done

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# One orchestrator per build, each with hello deployed, for its runtimes to join.
orchestrator_port() { echo $((18300 + 10 * $1)); }
broker_port() { echo $((18301 + 10 * $1)); }
for i in "${!builds[@]}"; do
  ${launch[$i]} orchestrator --port "$(orchestrator_port "$i")" --brokerPort "$(broker_port "$i")" \
    --storagePath "$work/orchestrator-${builds[$i]}" >"$work/orchestrator-${builds[$i]}.log" 2>&1 & pids+=($!)
done
for i in "${!builds[@]}"; do
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$(orchestrator_port "$i")/api/info" >/dev/null && break; sleep 0.1; done
  # no runtime has joined yet: the deployment is stored and waits for one (the short --timeout only ends the wait)
  dotnet "$after" deploy --server "http://127.0.0.1:$(orchestrator_port "$i")" "$work/examples/hello" --timeout 1s >/dev/null 2>&1 || true
done

body='{"name":"world"}'
run() { # target build-index round -> appends the figure(s) to $work/TARGET-BUILD.times
  local target=$1 i=$2 round=$3 out
  out="$work/$target-${builds[$i]}"
  case "$target" in
    baseline)
      out="$work/baseline"
      ASPNETCORE_URLS=http://127.0.0.1:18280 $probe --log "$out.$round.log" POST http://127.0.0.1:18280/functions/greet "$body" -- \
        dotnet "$work/baseline-bin/Wafer.Bench.Baseline.dll" >>"$out.times" ;;
    serve)
      $probe --log "$out.$round.log" POST "http://127.0.0.1:$((18281 + 10 * i))/functions/hello/greet" "$body" -- \
        ${launch[$i]} serve --plugins "$work/examples" --port $((18281 + 10 * i)) --orchestratorPort $((18282 + 10 * i)) \
        --brokerPort $((18283 + 10 * i)) --storagePath "$work/serve-${builds[$i]}" >>"$out.times" ;;
    join)
      $probe --log "$out.$round.log" --online "http://127.0.0.1:$(orchestrator_port "$i")" "start-${builds[$i]}" \
        POST "http://127.0.0.1:$(orchestrator_port "$i")/functions/greet" "$body" -- \
        ${launch[$i]} runtime --join "mqtt://127.0.0.1:$(broker_port "$i")" --name "start-${builds[$i]}" \
        --port $((18284 + 10 * i)) --storagePath "$work/runtime-${builds[$i]}" >>"$out.times" ;;
  esac
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# warm-up: fills each build's compiled-code cache, and places hello on each build's runtime
run baseline 0 warm >/dev/null
for i in "${!builds[@]}"; do run serve "$i" warm; run join "$i" warm; done
rm -f "$work"/*.times
for round in $(seq 1 "$ROUNDS"); do
  run baseline 0 "$round"
  for i in "${!builds[@]}"; do run serve "$i" "$round"; run join "$i" "$round"; done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"

median() { awk -v c="$1" '{print $c}' "$2" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(median 1 "$work/baseline.times")
printf '\n%-44s %10s %8s   %s\n' "from process start to the first 200" "median ms" "ratio" "rounds (ms)"
row() { printf '%-44s %10s %8s   %s\n' "$1" "$2" "$(awk -v a="$2" -v b="$base" 'BEGIN { printf "%.2fx", a / b }')" "$3"; }
row "plain ASP.NET Core app" "$base" "$(awk '{print $1}' "$work/baseline.times" | tr '\n' ' ')"
for i in "${!builds[@]}"; do
  b=${builds[$i]}
  row "wafer serve, examples ($b)" "$(median 1 "$work/serve-$b.times")" "$(awk '{print $1}' "$work/serve-$b.times" | tr '\n' ' ')"
  row "wafer runtime --join: online ($b)" "$(median 2 "$work/join-$b.times")" "$(awk '{print $2}' "$work/join-$b.times" | tr '\n' ' ')"
  row "wafer runtime --join: call via gateway ($b)" "$(median 1 "$work/join-$b.times")" "$(awk '{print $1}' "$work/join-$b.times" | tr '\n' ' ')"
done
