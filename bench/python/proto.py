"""The child side of the benchmark's protocol, for Python: events out as JSON lines, commands in."""
import json
import os
import sys
import threading
import time


def emit(event, **fields):
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def now_ns():
    # CLOCK_MONOTONIC: the same clock as Node's process.hrtime.bigint() on Linux
    return time.monotonic_ns()


def rss_mb():
    with open(f"/proc/{os.getpid()}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def read_commands(handler, on_eof):
    """Reads command lines on a thread; calls on_eof when the parent goes away (stdin closes)."""

    def run():
        for line in sys.stdin:
            line = line.strip()
            if line:
                handler(json.loads(line))
        on_eof()

    threading.Thread(target=run, daemon=True).start()
