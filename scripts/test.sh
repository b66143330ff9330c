#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need, builds the solution
# and the test guests once, runs the SDK tests and every .NET test project, and ends with the line
# "N passed, N failed[, N skipped]". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
logs="$root/.artifacts/test-logs"
rm -rf "$logs" && mkdir -p "$logs"

passed=0 failed=0 skipped=0
fail() { echo "error: $*" >&2; echo "$passed passed, $((failed + 1)) failed"; exit 1; }

echo "== tools"
bash scripts/install-test-deps.sh || fail "installing test dependencies"

echo "== services"
WAFER_TEST_POSTGRES=$(bash scripts/postgres.sh start | tail -1) || fail "starting PostgreSQL"
export WAFER_TEST_POSTGRES
WAFER_TEST_MQTT=$(bash scripts/mosquitto.sh start | tail -1) || fail "starting Mosquitto"
export WAFER_TEST_MQTT
WAFER_TEST_MYSQL=$(bash scripts/mariadb.sh start | tail -1) || fail "starting MariaDB"
export WAFER_TEST_MYSQL
trap 'bash scripts/postgres.sh stop; bash scripts/mosquitto.sh stop; bash scripts/mariadb.sh stop' EXIT

echo "== build"
dotnet build Wafer.slnx -c Debug -nologo -v q -clp:ErrorsOnly || fail "dotnet build"

echo "== test guests"
export WAFER_TEST_GUESTS="$root/tests/guests/out"
rm -rf "$WAFER_TEST_GUESTS" && mkdir -p "$WAFER_TEST_GUESTS"
node tests/guests/build-wat.mjs "$WAFER_TEST_GUESTS" || fail "building .wat fixtures"
node tests/guests/build-as.mjs "$WAFER_TEST_GUESTS" || fail "building AssemblyScript test guests"
bash tests/guests/build-native.sh "$WAFER_TEST_GUESTS" || fail "building C and Rust test guests"

echo "== sdk tests (node --test)"
if node --test sdk/assemblyscript/test/ >"$logs/sdk.log" 2>&1; then status=0; else status=1; fi
tail -n 12 "$logs/sdk.log"
p=$(grep -E '^# pass ' "$logs/sdk.log" | awk '{print $3}' | tail -1)
f=$(grep -E '^# fail ' "$logs/sdk.log" | awk '{print $3}' | tail -1)
s=$(grep -E '^# skipped ' "$logs/sdk.log" | awk '{print $3}' | tail -1)
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); cat "$logs/sdk.log"; fi

# Runs one test project's executable with xunit filter arguments, logs to $logs/LOG.log, adds its counts.
run_tests() {
  local name=$1 log=$2; shift 2
  local exe="tests/$name/bin/Debug/net10.0/$name"
  if "$exe" -noColor "$@" >"$logs/$log.log" 2>&1; then status=0; else status=1; fi
  grep -E '\[FAIL\]' -A 8 "$logs/$log.log" | head -100 || true
  # xunit's summary line: "Wafer.X.Tests  Total: 10, Errors: 0, Failed: 1, Skipped: 0, Not Run: 0, Time: 1s"
  summary=$(grep -E 'Total: [0-9]+, Errors: [0-9]+, Failed: [0-9]+, Skipped: [0-9]+' "$logs/$log.log" | tail -1)
  # a filter that selects no test (the timing pass of a project whose files only mention the trait) prints "Total: 0"
  [ -n "$summary" ] || summary=$(grep -E 'Total: 0$' "$logs/$log.log" | tail -1)
  echo "${summary:-$log printed no summary}"
  number() { echo "$summary" | grep -oE "$1: [0-9]+" | grep -oE '[0-9]+' || echo 0; }
  t=$(number Total); e=$(number Errors); f=$(( $(number Failed) + e )); s=$(number Skipped)
  passed=$((passed + t - f - s)); failed=$((failed + f)); skipped=$((skipped + s))
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
    failed=$((failed + 1)); echo "$log exited $status with no test failure counted"; tail -n 40 "$logs/$log.log"
  fi
}

# Tests whose bounds are wall time carry [Trait("Timing", "Sensitive")] (tests/Wafer.Architecture.Tests checks it):
# every project runs without them first, then they run alone, one at a time, so a loaded machine does not fail them.
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  run_tests "$name" "$name" -trait- "Timing=Sensitive"
done

for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  grep -rqs --include='*.cs' 'Trait("Timing", "Sensitive")' "tests/$name" || continue
  echo "== $name (timing-sensitive, one at a time)"
  run_tests "$name" "$name.timing" -trait "Timing=Sensitive" -parallel none
done

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
