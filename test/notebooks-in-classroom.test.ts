// The lessons in a classroom: MQTT_URL, MQTT_USERNAME and MQTT_PASSWORD set as the classroom command says, the
// broker enforcing its rules, and the notebooks run headlessly, unchanged. Every client they make must be let in
// (its id starts with the user name) and nothing they do may be refused.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startClassroom, type Classroom } from "../src/classroom/classroom";
import { readPasswordsFile } from "../src/classroom/passwords";

const REPO = path.resolve(__dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "classroom-notebooks-"));
let classroom: Classroom;

before(async () => {
  classroom = await startClassroom({ students: ["student01", "student02"], passwordsFile: path.join(dir, "p"), dashboard: false, seed: 4 });
});
after(async () => {
  await classroom?.close();
  rmSync(dir, { recursive: true, force: true });
});

test(
  "with the three variables of a classroom set, the lessons run unchanged and the rules refuse nothing",
  { timeout: 300_000 },
  async () => {
    const password = readPasswordsFile(path.join(dir, "p")).get("student01")!;
    const env = { ...process.env, MQTT_URL: classroom.broker.url, MQTT_USERNAME: "student01", MQTT_PASSWORD: password, MQTT_TOPIC: "" };
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ["scripts/run-notebooks.mjs", "notebooks/05-the-client-class.ipynb", "notebooks/06-receiving-live-data.ipynb"],
        { cwd: REPO, env },
      );
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.on("exit", (code) => resolve({ code, output }));
    });
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /notebooks: 2 passed, 0 failed/);
    assert.ok(!run.output.includes(password), "the password is in no output");
    const room = classroom.room.snapshot();
    const connected = room.drops.map((d) => d.clientId); // every lesson client has disconnected by now
    assert.deepEqual(room.refusals, [], room.refusals.map((r) => r.text).join("\n"));
    assert.ok(connected.length >= 3, `${connected.length} lesson clients connected: ${connected.join(", ")}`);
    for (const id of connected.filter((c) => !c.startsWith("isis-feed"))) assert.match(id, /^student01-/);
  },
);
