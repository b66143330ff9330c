#!/usr/bin/env python3
"""Starts one server process, waits for its first 200 and reports what the start cost at that moment.

    counts.py CHECK -- COMMAND...

CHECK is METHOD URL [BODY], polled as probe.py polls it. Prints one line:
    ready_ms cpu_ms assemblies jitted dynamic
cpu_ms is the process's user + system CPU (/proc/PID/stat) when the first 200 came back; assemblies the managed
assemblies mapped into it (/proc/PID/maps, *.dll); jitted and dynamic the methods the JIT compiled by then, all and
dynamic methods among them (DOTNET_JitStdOutFile with DOTNET_JitDisasmSummary=1, so the JIT itself is a bit slower
than in probe.py's runs). With COUNTS_KEEP=FILE the JIT's list is copied to FILE.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from probe import request, stop  # noqa: E402

DEADLINE_S = 60
POLL_S = 0.005


def cpu_ms(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def assemblies(pid):
    with open(f"/proc/{pid}/maps") as maps:
        return len({line.split()[-1] for line in maps if line.rstrip().endswith(".dll")})


def main(argv):
    split = argv.index("--")
    check, command = argv[:split], argv[split + 1:]
    method, url = check[0], check[1]
    body = check[2].encode() if len(check) > 2 else None
    jit_list = tempfile.NamedTemporaryFile(prefix="jitted-", suffix=".txt", delete=False).name
    env = dict(os.environ, DOTNET_JitStdOutFile=jit_list, DOTNET_JitDisasmSummary="1")
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while time.monotonic() - started < DEADLINE_S and process.poll() is None:
            try:
                if request(method, url, body)[0] == 200:
                    ready_ms = (time.monotonic() - started) * 1000
                    cpu, loaded = cpu_ms(process.pid), assemblies(process.pid)
                    with open(jit_list, errors="replace") as listing:
                        lines = [line for line in listing if "JIT compiled" in line]
                    dynamic = sum(1 for line in lines if "(dynamicClass)" in line)
                    print(f"{ready_ms:.0f} {cpu:.0f} {loaded} {len(lines)} {dynamic}")
                    if os.environ.get("COUNTS_KEEP"):
                        shutil.copy(jit_list, os.environ["COUNTS_KEEP"])
                    return 0
            except OSError:
                pass
            time.sleep(POLL_S)
        print(f"no 200 from {method} {url} within {DEADLINE_S} s", file=sys.stderr)
        return 1
    finally:
        stop(process)
        os.unlink(jit_list)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
