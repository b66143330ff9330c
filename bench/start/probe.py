#!/usr/bin/env python3
"""Starts one server process and prints how long it took, from the process start, until a request was answered 200.

    probe.py [--online URL NAME] [--log FILE] CHECK -- COMMAND...

CHECK is METHOD URL [BODY]: the request polled (every 5 ms; a refused connection or any other status retries).
With --online, the time at which the orchestrator at URL (GET /api/runtimes) first lists a runtime named NAME as
online is printed too. The server gets SIGTERM once measured and is waited for, so the next round starts on a quiet
machine. Prints "ready_ms [online_ms]"; exits 1 when nothing answered within 60 s.
"""
import datetime
import http.client
import json
import signal
import subprocess
import sys
import time
import urllib.parse

DEADLINE_S = 60
POLL_S = 0.005


def request(method, url, body):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        connection.request(method, parts.path or "/", body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def online(url, name):
    try:
        status, payload = request("GET", url.rstrip("/") + "/api/runtimes", None)
    except OSError:
        return False
    if status != 200:
        return False
    runtimes = json.loads(payload).get("runtimes", [])
    return any(r.get("name") == name and r.get("state") == "online" for r in runtimes)


def stop(process):
    """SIGTERM, then SIGKILL if the server has not exited within 40 s."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def stamp(log, what):
    """Marks the log (when there is one) with the wall-clock time, for reading phases off the server's own timestamps."""
    if log is not subprocess.DEVNULL:
        log.write(f"{datetime.datetime.now(datetime.timezone.utc):%H:%M:%S.%f}"[:-3].encode() + f" probe: {what}\n".encode())


def main(argv):
    online_at = None
    log = subprocess.DEVNULL
    while argv and argv[0].startswith("--"):
        if argv[0] == "--online":
            online_at = (argv[1], argv[2])
            argv = argv[3:]
        elif argv[0] == "--log":
            log = open(argv[1], "ab", buffering=0)
            argv = argv[2:]
        else:
            break
    split = argv.index("--")
    check, command = argv[:split], argv[split + 1:]
    method, url = check[0], check[1]
    body = check[2].encode() if len(check) > 2 else None

    stamp(log, "process start")
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    ready_ms = online_ms = None
    try:
        while time.monotonic() - started < DEADLINE_S and process.poll() is None:
            if online_at is not None and online_ms is None and online(*online_at):
                online_ms = (time.monotonic() - started) * 1000
            try:
                status, _ = request(method, url, body)
                if status == 200:
                    ready_ms = (time.monotonic() - started) * 1000
                    break
            except OSError:
                pass
            time.sleep(POLL_S)
        if online_at is not None and ready_ms is not None:
            while online_ms is None and time.monotonic() - started < DEADLINE_S:
                if online(*online_at):
                    online_ms = (time.monotonic() - started) * 1000
                else:
                    time.sleep(POLL_S)
        if ready_ms is not None:
            stamp(log, f"first 200 after {ready_ms:.0f} ms")
    finally:
        stop(process)
    if ready_ms is None:
        print(f"no 200 from {method} {url} within {DEADLINE_S} s (exit code {process.returncode})", file=sys.stderr)
        return 1
    print(f"{ready_ms:.0f}" + ("" if online_at is None else f" {online_ms:.0f}"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
