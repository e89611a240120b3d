import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { after, before, test } from "node:test";
import { MQTTClient } from "../../src/mqtt/client";
import { decodePulse, type Pulse } from "../../src/beam/decode";
import { readSettings } from "../../src/mqtt/settings";
import { Mosquitto } from "../helpers/mosquitto";
import { waitFor } from "../helpers/wait";

// The real feed is made by numpy's tobytes(); prove our decoding reads such bytes to the same numbers.
// Debian's python3-numpy and python3-paho-mqtt (installed by .ci/run) do the Python side.
const PYTHON = ["/usr/bin/python3", "python3"].find(
  (p) => spawnSync(p, ["-c", "import numpy, paho.mqtt.client"], { stdio: "ignore" }).status === 0,
);
const TOPIC = "test/numpy";

// Every operation is one correctly rounded float64 operation, so Python and JavaScript agree to the bit.
const PUBLISH = `
import sys, numpy as np, paho.mqtt.client as mqtt
r = np.arange(40, dtype=np.float64).reshape(40, 1)
i = np.arange(2200, dtype=np.float64).reshape(1, 2200)
a = (r + 1) * 0.1 - i * 1e-3
a[39] = -a[39]
try:
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
except AttributeError:
    c = mqtt.Client()
c.connect("127.0.0.1", int(sys.argv[1]))
c.loop_start()
c.publish("${TOPIC}", a.tobytes()).wait_for_publish()
c.disconnect()
c.loop_stop()
print(repr(a[5, 420]), a.shape, a.dtype, len(a.tobytes()))
`;

let broker: Mosquitto;
before(async () => {
  broker = await Mosquitto.start();
});
after(() => broker.close());

test(
  "a pulse published from Python with numpy's tobytes() decodes to the same numbers",
  { skip: !PYTHON && !process.env.CI && "python3 with numpy and paho-mqtt is not installed" },
  async () => {
    assert.ok(PYTHON, "CI installs python3-numpy and python3-paho-mqtt");
    const pulses: Pulse[] = [];
    const client = new MQTTClient(TOPIC, { url: broker.url, settings: readSettings({}) });
    client.onMessage = (m) => pulses.push(decodePulse(m.payload));
    await client.connect();
    let python: SpawnSyncReturns<string>;
    try {
      await waitFor("the subscription", () => client.packets.received.suback === 1); // a fixed wait flaked at load 10
      python = spawnSync(PYTHON!, ["-c", PUBLISH, String(broker.port)], { encoding: "utf8", timeout: 20_000 });
      assert.equal(python.status, 0, python.stderr);
      await waitFor("the pulse from Python", () => pulses.length === 1);
    } finally {
      await client.disconnect(); // else a failure leaves it reconnecting for ever, and the test file never ends
    }

    const r5i420 = (5 + 1) * 0.1 - 420 * 1e-3; // JavaScript's and Python's shortest repr of a double agree
    assert.equal(python.stdout.trim(), `${r5i420} (40, 2200) float64 704000`);
    const pulse = pulses[0]!;
    assert.equal(pulse.row(5)[420], r5i420);
    for (let r = 0; r < 40; r++) {
      const row = pulse.row(r);
      for (let i = 0; i < 2200; i++) {
        const expected = (r + 1) * 0.1 - i * 1e-3;
        if (row[i] !== (r === 39 ? -expected : expected)) assert.fail(`row ${r} sample ${i}: ${row[i]} ≠ ${expected}`);
      }
    }
  },
);
