"""The Python baseline subscriber: the original lesson's paho-mqtt client with numpy decoding
(np.frombuffer + np.reshape, exactly as its on_message does) and the numpy analysis of analysis.py.
Same protocol as ../children/subscriber.ts:
  --count N       finish after N pulses (else on {"cmd":"stop"} or --max-seconds)
  --log-times     report the time each pulse was analysed, and its fingerprint
"""
import argparse
import math
import threading
from urllib.parse import urlparse

import numpy as np
import paho.mqtt.client as mqtt

from analysis import analyse_pulse
from proto import emit, now_ns, read_commands, rss_mb

FINGERPRINT_OFFSETS = [(5 * 2200 + 1000) * 8, (20 * 2200 + 1000) * 8, (39 * 2200 + 1000) * 8]


def fingerprint(payload):
    return "".join(payload[o : o + 8].hex() for o in FINGERPRINT_OFFSETS)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--topic", default="bench/pulses")
    p.add_argument("--count", type=int)
    p.add_argument("--log-times", action="store_true")
    p.add_argument("--max-seconds", type=float, default=600)
    args = p.parse_args()
    url = urlparse(args.url)
    count = args.count if args.count is not None else math.inf

    s = {"analysed": 0, "received": 0, "rejected": 0, "checksum": 0.0, "first": 0, "last": 0}
    times, prints = [], []
    subscribed, done, leave = threading.Event(), threading.Event(), threading.Event()

    def on_connect(client, userdata, flags, rc, properties=None):
        client.subscribe(args.topic, qos=0)

    def on_subscribe(client, userdata, mid, granted, properties=None):
        subscribed.set()

    def on_message(client, userdata, message):
        s["received"] += 1
        try:
            msg_decode = np.frombuffer(message.payload, dtype=float, count=-1, offset=0)
            msg_array = np.reshape(msg_decode, (40, 2200))
            result = analyse_pulse(msg_array)
        except Exception:
            s["rejected"] += 1
            return
        t = now_ns()
        if s["analysed"] == 0:
            s["first"] = t
        s["last"] = t
        s["analysed"] += 1
        if math.isfinite(result["hottest_blm_integral_vms"]):
            s["checksum"] += result["hottest_blm_integral_vms"]
        if args.log_times:
            times.append(t)
            prints.append(fingerprint(message.payload))
        if s["analysed"] >= count:
            done.set()

    try:
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION1, protocol=mqtt.MQTTv311)  # paho ≥ 2
    except AttributeError:
        client = mqtt.Client(protocol=mqtt.MQTTv311)  # paho 1.x, as Debian ships
    client.on_connect = on_connect
    client.on_subscribe = on_subscribe
    client.on_message = on_message

    def command(c):
        if c["cmd"] == "stop":
            done.set()
        elif c["cmd"] == "mem":
            emit("mem", tNs=now_ns(), rss=rss_mb())
        elif c["cmd"] == "exit":
            done.set()
            leave.set()

    def eof():
        done.set()
        leave.set()

    read_commands(command, eof)
    client.connect(url.hostname, url.port or 1883, 60)
    client.loop_start()
    if not subscribed.wait(10):
        raise SystemExit("subscriber.py: not subscribed within 10 s")
    emit("ready", pid=__import__("os").getpid())
    done.wait(args.max_seconds)
    result = {
        "received": s["received"],
        "analysed": s["analysed"],
        "rejected": s["rejected"],
        "copied": 0,
        "checksum": s["checksum"],
        "firstNs": s["first"],
        "lastNs": s["last"],
        "memory": {"rss": rss_mb()},
    }
    if args.log_times:
        result.update(times=times, prints=prints)
    emit("result", **result)
    leave.wait(30)
    client.disconnect()
    client.loop_stop()


if __name__ == "__main__":
    main()
