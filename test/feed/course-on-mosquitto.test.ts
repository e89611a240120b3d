// Lessons 10–15 on a real broker named by MQTT_URL (as on the ISIS site) instead of the built-in feed: a Mosquitto
// on loopback with the simulated feed publishing its topic tree into it (obeying requests, as `npm run feed --
// --url … --control` does), and the notebooks run headlessly. What the lessons claim must hold on Mosquitto too.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { startFeed, type Feed } from "../../src/feed/feed";
import { Mosquitto } from "../helpers/mosquitto";

const REPO = path.resolve(__dirname, "..", "..");
const LESSONS = [
  "10-topics-and-wildcards",
  "11-quality-of-service",
  "12-retained-messages-and-last-will",
  "13-sessions-and-keep-alive",
  "14-mqtt-js-directly",
  "15-capstone-beam-loss-alarm",
];

let broker: Mosquitto;
let feed: Feed;
let child: ChildProcess | undefined;
before(async () => {
  broker = await Mosquitto.start();
  feed = await startFeed({ url: broker.url, rate: 1, control: true });
});
after(async () => {
  // The runner and its kernel are one process group: end all of it, also when the test failed or timed out.
  if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
  await feed.stop();
  await broker.close();
});

function runNotebooks(url: string, notebooks: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    child = spawn(process.execPath, ["scripts/run-notebooks.mjs", ...notebooks], {
      cwd: REPO,
      env: { ...process.env, MQTT_URL: url },
      detached: true,
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

/** Everything the executed copy of a lesson printed. */
function printed(lesson: string): string {
  const nb = JSON.parse(readFileSync(path.join(REPO, "out", "notebooks", `${lesson}.ipynb`), "utf8")) as {
    cells: Array<{ outputs?: Array<{ text?: string[]; data?: { "text/plain"?: string[] } }> }>;
  };
  return nb.cells
    .flatMap((c) => c.outputs ?? [])
    .map((o) => (o.text ?? o.data?.["text/plain"] ?? []).join(""))
    .join("\n");
}

test("with MQTT_URL set, lessons 10–15 run on Mosquitto and show what they teach", { timeout: 400_000 }, async () => {
  const run = await runNotebooks(
    broker.url,
    LESSONS.map((l) => `notebooks/${l}.ipynb`),
  );
  assert.equal(run.code, 0, run.output);
  assert.match(run.output, /notebooks: 6 passed, 0 failed/);

  assert.match(printed(LESSONS[0]!), /ac_phys\/workxp\/status {2}\d+ bytes {2}\(retained\)\n[\s\S]*ac_phys\/workxp\/summary {2}\d+ bytes/);
  const qos = printed(LESSONS[1]!);
  assert.match(qos, /QoS 2: sent PUBLISH, PUBREL · received PUBREC, PUBCOMP \(4 packets\)/);
  assert.doesNotMatch(qos, /receiver got: "sent in the cut at QoS 0"/, "QoS 0 is lost in the cut");
  assert.equal(qos.match(/receiver got: "answer lost at QoS 1"/g)?.length, 2, "a lost PUBACK: QoS 1 twice");
  assert.equal(qos.match(/receiver got: "answer lost at QoS 2"/g)?.length, 1, "QoS 2 exactly once");
  const will = printed(LESSONS[2]!);
  assert.match(
    will,
    /the monitor is offline \(said goodbye\)\n[\s\S]*the monitor is online\n[\s\S]*the monitor is offline \(connection lost\)/,
  );
  const sessions = printed(LESSONS[3]!);
  assert.match(sessions, /stopped answering \(no reply to keep-alive pings\)/);
  assert.match(sessions, /got: "QoS 1: call me back"\n[\s\S]*session present: true/);
  assert.doesNotMatch(sessions, /QoS 0: are you there/);
  assert.match(printed(LESSONS[4]!), /ac_phys\/workxp\/live_signals: 704000 bytes/);
  const alarm = printed(LESSONS[5]!);
  assert.match(alarm, /the feed now simulates bad-night/);
  assert.match(alarm, /control room \(event\): ALARM: only \d+ % survived/);
  assert.match(alarm, /late control room \(state, retained\): ALARM/);
  assert.equal(feed.scenario, "nominal", "the capstone put the feed back as it found it");

  const lessonClients = broker.log.match(/New client connected from 127\.0\.0\.1:\d+ as (learning-mqtt|plain|patient|laptop|away)-/g) ?? [];
  assert.ok(lessonClients.length >= 20, `${lessonClients.length} lesson clients connected to Mosquitto`);
});
