// What each topic costs a student, measured on the wire: one student per topic on a classroom's embedded broker, the
// bytes the broker wrote to each socket counted by Node. The bytes per message are exact (MQTT's framing plus the
// payload); bytes per second follow from the feed's rates, and docs/classroom.md's room-size table from these lines
// (`node --import tsx --test test/classroom/bandwidth.test.ts` prints them).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startClassroom, type Classroom } from "../../src/classroom/classroom";
import { readPasswordsFile } from "../../src/classroom/passwords";
import { PULSE_BYTES } from "../../src/beam/layout";
import { envelopeBytes } from "../../src/beam/envelope";
import { withCommas } from "../../src/text";
import { recorder, type Recorder } from "../helpers/classroom";
import { waitFor } from "../helpers/wait";

/** The size of a QoS 0 PUBLISH packet: fixed header, remaining length (1–4 bytes), topic length, topic, payload. */
function publishPacketBytes(topic: string, payload: number): number {
  const remaining = 2 + Buffer.byteLength(topic) + payload;
  const lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
  return 1 + lengthBytes + remaining;
}

const TOPICS = [
  { topic: "ac_phys/workxp/live_signals", user: "student01", rateHz: 1 },
  { topic: "ac_phys/workxp/envelope", user: "student02", rateHz: 50 },
  { topic: "ac_phys/workxp/summary", user: "student03", rateHz: 50 },
];

describe("bytes per student per topic", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), "classroom-bandwidth-"));
  let classroom: Classroom;
  const students = new Map<string, Recorder>();
  before(async () => {
    classroom = await startClassroom({
      students: ["student01", "student02", "student03"],
      passwordsFile: path.join(dir, "p"),
      dashboard: false,
      seed: 1,
    });
    const passwords = readPasswordsFile(path.join(dir, "p"));
    for (const { topic, user } of TOPICS) {
      const s = await recorder(classroom.broker.url, passwords, user).connect();
      await s.subscribe(topic);
      students.set(topic, s);
    }
  });
  after(async () => {
    for (const s of students.values()) await s.disconnect();
    await classroom?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("each message costs its payload plus MQTT's few bytes; per second that is the table's row", async (t) => {
    const counters = () => new Map(classroom.broker.clients().map((c) => [c.clientId, c]));
    // Count from the first message on: CONNACK and SUBACK are behind us.
    await waitFor(
      "a message for every student that has a topic",
      () => [...students.values()].every((s) => s.messages.length > 0 || s.clientId.startsWith("student03")),
      10_000,
    );
    const start = counters();
    const startCounts = new Map([...students].map(([topic, s]) => [topic, s.messages.length]));
    await waitFor(
      "three raw pulses",
      () => students.get(TOPICS[0]!.topic)!.messages.length >= startCounts.get(TOPICS[0]!.topic)! + 3,
      15_000,
    );
    const end = counters();
    for (const { topic, rateHz } of TOPICS) {
      const s = students.get(topic)!;
      const messages = end.get(s.clientId)!.messagesOut - start.get(s.clientId)!.messagesOut;
      if (messages === 0) {
        t.diagnostic(`${topic}: nothing published here yet (the feed's summary topic comes from the mqtt-course branch)`);
        continue;
      }
      const bytes = end.get(s.clientId)!.bytesOut - start.get(s.clientId)!.bytesOut;
      const perMessage = bytes / messages;
      // What MQTT's framing makes of the payloads this student received (the summary's JSON varies in length).
      const payloads = s.messages.slice(startCounts.get(topic)!).map((m) => m.payload.length);
      const expected = payloads.reduce((sum, n) => sum + publishPacketBytes(topic, n), 0) / payloads.length;
      assert.ok(Math.abs(perMessage - expected) < 1, `${topic}: ${perMessage} bytes a message on the wire, ${expected} by MQTT's framing`);
      // Within a byte: a keep-alive answer (2 bytes) may fall in the window.
      if (topic.endsWith("live_signals")) assert.ok(Math.abs(perMessage - publishPacketBytes(topic, PULSE_BYTES)) < 1);
      if (topic.endsWith("envelope")) assert.ok(Math.abs(perMessage - publishPacketBytes(topic, envelopeBytes())) < 1);
      const perSecond = perMessage * rateHz;
      t.diagnostic(
        `bandwidth: ${topic} at ${rateHz} Hz: ${withCommas(Math.round(perMessage))} bytes a message → ` +
          `${withCommas(Math.round(perSecond))} bytes/s per student (${((perSecond * 8) / 1e6).toFixed(3)} Mbit/s)`,
      );
    }
  });
});
