#!/usr/bin/env bash
# Takes the screenshots of docs/console.md: runs the console's browser tests (tests/Wafer.Browser.Tests, real
# wafer processes in Debian's Chromium) with WAFER_CONSOLE_SCREENSHOTS set, so each test saves its page as a PNG in
# docs/console/ once the page shows what the test checked. Needs what the tests need: scripts/install-test-deps.sh,
# the built solution, the test guests (WAFER_TEST_GUESTS, default tests/guests/out).
set -euo pipefail
cd "$(dirname "$0")/.."
export WAFER_TEST_GUESTS="${WAFER_TEST_GUESTS:-$PWD/tests/guests/out}"
export WAFER_CONSOLE_SCREENSHOTS="$PWD/docs/console"
dotnet build tests/Wafer.Browser.Tests -c Debug -nologo -v q -clp:ErrorsOnly
tests/Wafer.Browser.Tests/bin/Debug/net10.0/Wafer.Browser.Tests -noColor
ls -1 "$WAFER_CONSOLE_SCREENSHOTS"/*.png
