"""Decoding cost per pulse with numpy, in a process of its own. Counterpart: ../children/decode.ts.
Decoding is what the original on_message does: np.frombuffer(payload, dtype=float) then np.reshape to (40, 2200)."""
import argparse
import time

import numpy as np

from analysis import analyse_pulse
from proto import emit

p = argparse.ArgumentParser()
p.add_argument("--pulse", required=True)
p.add_argument("--iterations", type=int, default=200000)
p.add_argument("--batches", type=int, default=7)
args = p.parse_args()

with open(args.pulse, "rb") as f:
    payload = f.read()  # bytes, as paho hands message.payload over
assert len(payload) == 704000
unaligned = memoryview(b"\0" + payload)[1:]
array = np.frombuffer(payload, dtype=float).reshape(40, 2200)
target = np.empty_like(array)
few = max(1, round(args.iterations / 100))


def decode(n):
    for _ in range(n):
        msg_array = np.reshape(np.frombuffer(payload, dtype=float, count=-1, offset=0), (40, 2200))
    return msg_array


def decode_unaligned(n):  # numpy reads unaligned bytes in place: no copy
    for _ in range(n):
        msg_array = np.reshape(np.frombuffer(unaligned, dtype=float, count=-1, offset=0), (40, 2200))
    return msg_array


def analyse(n):  # the per-pulse analysis every subscriber runs, numpy style (analysis.py)
    for _ in range(n):
        result = analyse_pulse(np.reshape(np.frombuffer(payload, dtype=float, count=-1, offset=0), (40, 2200)))
    return result


def copy_into(n):  # one memcpy of 704 KB into an array that exists
    for _ in range(n):
        np.copyto(target, array)


def copy_new(n):  # a new 704 KB array and the memcpy
    for _ in range(n):
        out = np.copy(array)
    return out


ops = {"decode": (decode, args.iterations), "decodeUnaligned": (decode_unaligned, max(few, args.iterations // 10)), "analyse": (analyse, max(1, round(args.iterations / 1000))), "copyInto": (copy_into, few), "copyNew": (copy_new, few)}
ns = {}
for name, (run, n) in ops.items():
    run(min(n, 1000))  # warm up
    ns[name] = []
    for _ in range(args.batches):
        t0 = time.perf_counter_ns()
        run(n)
        ns[name].append((time.perf_counter_ns() - t0) / n)
a = decode(1)
emit("result", ns=ns, copied=not np.shares_memory(a, np.frombuffer(payload, dtype=np.uint8)), shape=list(a.shape), sample=float(a[5, 420]))
