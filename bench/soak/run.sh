#!/usr/bin/env bash
# Soak: a steady load for DURATION seconds (default 600) mixing good calls, guest failures (a guest error, traps, a
# stack overflow, an abort, a timeout, an unknown function) and GraphQL, straight on a runtime and through the gateway of an
# orchestrator it joined; every INTERVAL seconds it samples each server process's RSS, thread count, open file
# descriptors (/proc/PID/status, /proc/PID/fd) and .NET GC heap (dotnet_total_memory_bytes from GET /metrics), and
# counts the answers by what they were. Prints the series and a verdict, and exits 1 when the verdict fails:
#   - every answer is the one its call must get (200 for good calls and GraphQL, 500 with cause guest_error, abort or
#     trap, 504 with cause timeout, 404 with cause not_found); anything else, every socket error and every answer
#     slower than ANSWER_WITHIN seconds (default 10; a loaded shared machine is slow, not broken) is unexpected;
#   - after WARMUP seconds, RSS and threads are flat: the largest sample of the last third within 10% of the largest
#     of the first third (threads: at least 2 more allowed), and open descriptors no more than 8 above it.
# The GC heap is printed, not judged: it swings with each gen0 collection.
#
# One orchestrator (in-process broker, its gateway) and one runtime joined to it, on free loopback ports; the hello
# example, tests/guests/out/faults.wasm (limits.timeoutMs TIMEOUT_MS) and guest-error.wasm deployed with one replica. The load: wrk
# with bench/soak/mix.lua, CONNECTIONS connections to each of the runtime and the gateway, each pausing DELAY_MS
# before every request (so the rate stays well under what the machine can do, and steady), run as one wrk per
# INTERVAL so each sample has its own counts.
#   bench/soak/run.sh                 DURATION=120 INTERVAL=5 bench/soak/run.sh
# WAFER_DLL: run that published wafer.dll instead of ./wafer.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
DURATION=${DURATION:-600}
INTERVAL=${INTERVAL:-10}
WARMUP=${WARMUP:-60}
CONNECTIONS=${CONNECTIONS:-2}
DELAY_MS=${DELAY_MS:-4}
TIMEOUT_MS=${TIMEOUT_MS:-20}
ANSWER_WITHIN=${ANSWER_WITHIN:-10}
for v in DURATION INTERVAL WARMUP CONNECTIONS DELAY_MS TIMEOUT_MS ANSWER_WITHIN; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a whole number, got '${!v}'" >&2; exit 2; }
done
[ "$INTERVAL" -gt 0 ] && [ "$CONNECTIONS" -gt 0 ] && [ "$TIMEOUT_MS" -gt 0 ] || { echo "INTERVAL, CONNECTIONS and TIMEOUT_MS must be positive" >&2; exit 2; }
[ "$WARMUP" -lt "$DURATION" ] || { echo "WARMUP ($WARMUP) must be shorter than DURATION ($DURATION)" >&2; exit 2; }
faults_wasm="$root/tests/guests/out/faults.wasm" guest_error_wasm="$root/tests/guests/out/guest-error.wasm"
[ -f "$faults_wasm" ] || { echo "$faults_wasm is missing: node tests/guests/build-as.mjs tests/guests/out" >&2; exit 2; }
[ -f "$guest_error_wasm" ] || { echo "$guest_error_wasm is missing: node tests/guests/build-wat.mjs tests/guests/out" >&2; exit 2; }

work="$root/.artifacts/soak"
rm -rf "$work" && mkdir -p "$work/wrk"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
wafer=(./wafer)
[ -z "${WAFER_DLL:-}" ] || wafer=(dotnet "$WAFER_DLL")
"${wafer[@]}" build examples/hello >/dev/null
echo '{"name":"hello"}' >"$work/hello.wafer.json"
echo "{\"name\":\"faults\",\"limits\":{\"timeoutMs\":$TIMEOUT_MS}}" >"$work/faults.wafer.json"
echo '{"name":"guest-error"}' >"$work/guest-error.wafer.json"

free_ports() { # count -> that many ports free on 127.0.0.1 now
  python3 - "$1" <<'PY'
import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}
read -r orchestrator broker runtime runtime_h2c <<<"$(free_ports 4)"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"${wafer[@]}" orchestrator --port "$orchestrator" --brokerPort "$broker" --storagePath "$work/orchestrator" >"$work/orchestrator.log" 2>&1 & pids+=($!)
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$orchestrator/readyz" >/dev/null && break; sleep 0.2; done
"${wafer[@]}" runtime --join "mqtt://127.0.0.1:$broker" --name soak-rt --port "$runtime" --h2cPort "$runtime_h2c" --storagePath "$work/runtime" >"$work/runtime.log" 2>&1 & pids+=($!)
for _ in $(seq 1 150); do
  curl -sf "http://127.0.0.1:$orchestrator/api/runtimes?alive=true" | grep -q '"online"' && break
  sleep 0.2
done
deploy() { # name wasm manifest
  curl -sf -F plugin=@"$2" -F manifest=@"$3" -F name="$1" -F replicas=1 "http://127.0.0.1:$orchestrator/api/deployments" >/dev/null \
    || { echo "deploying $1 failed" >&2; exit 1; }
}
deploy hello examples/hello/build/hello.wasm "$work/hello.wafer.json"
deploy faults "$faults_wasm" "$work/faults.wafer.json"
deploy guest-error "$guest_error_wasm" "$work/guest-error.wafer.json"
# Served on the runtime and routed by the gateway once a call of each plugin runs (its answer, good or not, comes from the guest).
for port in "$runtime" "$orchestrator"; do
  for call in "greet {\"name\":\"x\"}" "boom {}" "validate {}"; do
    for _ in $(seq 1 150); do
      code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d "${call#* }" "http://127.0.0.1:$port/functions/${call%% *}" || true)
      case $code in 200 | 500) break ;; esac
      sleep 0.2
    done
  done
done

server_pid() { ss -ltnpH "sport = :$1" | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2; }
runtime_pid=$(server_pid "$runtime") orchestrator_pid=$(server_pid "$orchestrator")
[ -n "$runtime_pid" ] && [ -n "$orchestrator_pid" ] || { echo "could not find the server processes" >&2; exit 1; }

sample() { # pid port -> "rss_mib threads fds gc_mib"
  local rss threads fds gc
  rss=$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status")
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$1/status")
  fds=$(find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
  gc=$(curl -sf "http://127.0.0.1:$2/metrics" | awk '$1 == "dotnet_total_memory_bytes" {printf "%.1f", $2 / 1048576}')
  echo "$rss $threads $fds ${gc:--}"
}

series="$work/series"
: >"$series"
printf '%6s %7s %5s %5s | %-27s | %-27s\n' "" "" "" "" "runtime" "orchestrator + gateway"
printf '%6s %7s %5s %5s | %7s %5s %5s %7s | %7s %5s %5s %7s\n' "t(s)" "req/s" "p99ms" "unexp" "RSS MiB" thr fds "GC MiB" "RSS MiB" thr fds "GC MiB"
start=$(date +%s)
i=0
while :; do
  elapsed=$(($(date +%s) - start))
  [ "$elapsed" -lt "$DURATION" ] || break
  seg=$((DURATION - elapsed < INTERVAL ? DURATION - elapsed : INTERVAL))
  i=$((i + 1))
  SOAK_DELAY_MS=$DELAY_MS SOAK_LABEL=direct wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"${seg}s" --timeout "${ANSWER_WITHIN}s" -s bench/soak/mix.lua "http://127.0.0.1:$runtime" >"$work/wrk/$i.direct" 2>&1 &
  direct_wrk=$!
  SOAK_DELAY_MS=$DELAY_MS SOAK_LABEL=gateway wrk -t"$CONNECTIONS" -c"$CONNECTIONS" -d"${seg}s" --timeout "${ANSWER_WITHIN}s" -s bench/soak/mix.lua "http://127.0.0.1:$orchestrator" >"$work/wrk/$i.gateway" 2>&1 &
  gateway_wrk=$!
  wait "$direct_wrk" "$gateway_wrk" || true
  t=$(($(date +%s) - start))
  cat "$work/wrk/$i.direct" "$work/wrk/$i.gateway" >"$work/wrk/$i"
  requests=$(awk '/requests in/ {n += $1} END {print n + 0}' "$work/wrk/$i")
  unexpected=$(awk '$1 == "count" && $4 == "UNEXPECTED" {n += $3} $1 == "errors" {for (f = 3; f <= NF; f++) {split($f, kv, "="); n += kv[2]}} END {print n + 0}' "$work/wrk/$i")
  p99=$(awk '$1 == "latency" {split($4, kv, "="); if (kv[2] > m) m = kv[2]} END {printf "%.1f", m / 1000}' "$work/wrk/$i")
  read -r r_rss r_thr r_fds r_gc <<<"$(sample "$runtime_pid" "$runtime")"
  read -r o_rss o_thr o_fds o_gc <<<"$(sample "$orchestrator_pid" "$orchestrator")"
  rps=$(awk -v n="$requests" -v s="$seg" 'BEGIN {printf "%.0f", n / s}')
  echo "$t $rps $p99 $unexpected $r_rss $r_thr $r_fds $r_gc $o_rss $o_thr $o_fds $o_gc" >>"$series"
  printf '%6s %7s %5s %5s | %7s %5s %5s %7s | %7s %5s %5s %7s\n' "$t" "$rps" "$p99" "$unexpected" "$r_rss" "$r_thr" "$r_fds" "$r_gc" "$o_rss" "$o_thr" "$o_fds" "$o_gc"
done

echo
echo "answers (direct and through the gateway), whole run:"
cat "$work"/wrk/*.direct "$work"/wrk/*.gateway | awk '$1 == "count" {k = $2; for (f = 4; f <= NF; f++) k = k " " $f; n[k] += $3} END {for (k in n) printf "  %9d  %s\n", n[k], k}' | sort -k2,2 -k3
cat "$work"/wrk/*.direct "$work"/wrk/*.gateway | awk '$1 == "errors" {for (f = 3; f <= NF; f++) {split($f, kv, "="); e[$2 " " kv[1]] += kv[2]}} END {for (k in e) if (e[k] > 0) printf "  %9d  socket errors: %s\n", e[k], k}' | sort -k4

# The verdict: answers, then flatness of the samples taken after the warm-up, split in thirds.
echo
verdict=0
unexpected=$(awk '{n += $4} END {print n + 0}' "$series")
total=$(cat "$work"/wrk/*.direct "$work"/wrk/*.gateway | awk '/requests in/ {n += $1} END {print n + 0}')
if [ "$unexpected" -eq 0 ] && [ "$total" -gt 0 ]; then
  echo "PASS answers: all $total as expected"
else
  echo "FAIL answers: $unexpected unexpected of $total (see above and $work/wrk)"
  verdict=1
fi
flat() { # column label allowance(percent) at_least -> PASS/FAIL line; samples after WARMUP, first third vs last third
  awk -v c="$1" -v label="$2" -v pct="$3" -v least="$4" -v warm="$WARMUP" '
    $1 > warm {v[++n] = $c}
    END {
      if (n < 3) {printf "FAIL %s: only %d samples after the warm-up\n", label, n; exit 1}
      third = int(n / 3); a = 0; b = 0
      for (k = 1; k <= third; k++) if (v[k] > a) a = v[k]
      for (k = n - third + 1; k <= n; k++) if (v[k] > b) b = v[k]
      allowed = a * pct / 100; if (allowed < least) allowed = least
      ok = b <= a + allowed
      printf "%s %s: first third max %s, last third max %s (allowed %s)\n", ok ? "PASS" : "FAIL", label, a, b, a + allowed
      exit ok ? 0 : 1
    }' "$series" || verdict=1
}
flat 5 "runtime RSS MiB" 10 0
flat 6 "runtime threads" 10 2
flat 7 "runtime open fds" 0 8
flat 9 "orchestrator RSS MiB" 10 0
flat 10 "orchestrator threads" 10 2
flat 11 "orchestrator open fds" 0 8
echo
echo "DURATION=${DURATION}s INTERVAL=${INTERVAL}s WARMUP=${WARMUP}s; wrk -t$CONNECTIONS -c$CONNECTIONS with ${DELAY_MS} ms before each request, to the runtime and to the gateway;"
echo "faults timeoutMs $TIMEOUT_MS; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ); series in $series"
[ "$verdict" -eq 0 ] && echo "VERDICT: PASS" || echo "VERDICT: FAIL"
exit "$verdict"
