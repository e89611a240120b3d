// A laptop that stops reading (asleep, or a frozen kernel) must not stall the room: the broker drops it once its
// socket has stayed full for the classroom's drain limit (5 s), and everyone else's stream goes on.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { connectAsync, type MqttClient } from "mqtt";
import { startClassroom, type Classroom } from "../../src/classroom/classroom";
import { readPasswordsFile } from "../../src/classroom/passwords";
import { recorder, type Recorder } from "../helpers/classroom";
import { waitFor } from "../helpers/wait";

const dir = mkdtempSync(path.join(tmpdir(), "classroom-frozen-"));
let classroom: Classroom;
let awake: Recorder;
let frozen: MqttClient;

before(async () => {
  classroom = await startClassroom({
    students: ["student01", "student02"],
    passwordsFile: path.join(dir, "p"),
    dashboard: false,
    rate: 5,
    seed: 2,
  });
  const passwords = readPasswordsFile(path.join(dir, "p"));
  awake = await recorder(classroom.broker.url, passwords, "student01").connect();
  await awake.subscribe("ac_phys/workxp/envelope");
  frozen = await connectAsync(classroom.broker.url, {
    username: "student02",
    password: passwords.get("student02"),
    clientId: "student02-asleep",
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  await frozen.subscribeAsync("ac_phys/workxp/#");
  (frozen.stream as Socket).pause(); // stops reading: the broker's writes to it pile up in the socket
});
after(async () => {
  frozen?.end(true);
  await awake?.disconnect();
  await classroom?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("a student who stops reading is dropped by the broker, and the others keep receiving", { timeout: 60_000 }, async () => {
  await waitFor(
    "the broker to drop the frozen student",
    () => classroom.room.snapshot().drops.length > 0 || !hasClient("student02-asleep"),
    30_000,
  );
  const after = awake.messages.length;
  await waitFor("more envelopes for the student who is awake", () => awake.messages.length >= after + 20, 10_000);
  assert.ok(!hasClient("student02-asleep"));
  assert.ok(awake.connected);
  assert.equal(awake.stats.disconnects, 0);
});

function hasClient(id: string): boolean {
  return classroom.broker.clients().some((c) => c.clientId === id);
}
