// The lessons on a real broker named by MQTT_URL (as on the ISIS site), instead of the built-in feed:
// a Mosquitto on loopback with the simulated feed publishing into it, and the notebooks run headlessly.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { startFeed, type Feed } from "../../src/index";
import { Mosquitto } from "../helpers/mosquitto";

const REPO = path.resolve(__dirname, "../..");

function runNotebooks(url: string, notebooks: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/run-notebooks.mjs", ...notebooks], {
      cwd: REPO,
      env: { ...process.env, MQTT_URL: url },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

let broker: Mosquitto;
before(async () => {
  broker = await Mosquitto.start();
});
after(() => broker.close());

test("with MQTT_URL set, the lessons receive, decode and plot pulses from that broker", { timeout: 180_000 }, async () => {
  const feed: Feed = await startFeed({ url: broker.url, rate: 1 });
  try {
    const run = await runNotebooks(broker.url, [
      "notebooks/06-receiving-live-data.ipynb",
      "notebooks/07-decoding-pulses.ipynb",
      "notebooks/08-plotting.ipynb",
    ]);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /notebooks: 3 passed, 0 failed/);
  } finally {
    await feed.stop();
  }
  const executed = readFileSync(path.join(REPO, "out", "notebooks", "06-receiving-live-data.ipynb"), "utf8");
  assert.match(executed, /the broker in MQTT_URL/);
  assert.match(executed, /received [1-9]\d* messages, rejected 0/);
  const clients = broker.log.match(/New client connected from 127\.0\.0\.1:\d+ as learning-mqtt-/g) ?? [];
  assert.ok(clients.length >= 4, `${clients.length} lesson clients connected to Mosquitto`);
});

test("with MQTT_URL set but nothing publishing, a lesson stops with where it listened, not a riddle", { timeout: 120_000 }, async () => {
  const run = await runNotebooks(broker.url, ["notebooks/07-decoding-pulses.ipynb"]);
  assert.notEqual(run.code, 0);
  assert.match(
    run.output,
    /07-decoding-pulses\.ipynb: cell 5 \(id bcdcb76c\): NoDataError: no message arrived on ac_phys\/workxp\/live_signals at mqtt:\/\/127\.0\.0\.1:\d+ in 10 s: is the feed publishing/,
  );
});
