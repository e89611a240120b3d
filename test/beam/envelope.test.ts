import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { analysePulse } from "../../src/beam/analysis";
import { decodePulse, pulseFromSamples, type Pulse } from "../../src/beam/decode";
import { decodeEnvelope, encodeEnvelope, envelopeBytes, envelopePulse, isEnvelopeSize } from "../../src/beam/envelope";
import { PULSE_BYTES, ROWS, rowOf, SAMPLES } from "../../src/beam/layout";
import { BeamSimulator } from "../../src/beam/simulator";
import { PayloadError } from "../../src/errors";
import { startBroker, type EmbeddedBroker } from "../../src/mqtt/broker";
import { MQTTClient } from "../../src/mqtt/client";
import { readSettings } from "../../src/mqtt/settings";
import { PulseMonitor } from "../../src/live/pulse-monitor";
import { pulsePlot } from "../../src/plots/pulse-plot";
import { waitFor } from "../helpers/wait";

const simulated = (scenario: "nominal" | "bad-night", seed: number) => pulseFromSamples(new BeamSimulator({ scenario, seed }).nextPulse());
const recorded = join(__dirname, "..", "..", "..", "shared", "data", "isis-2023");
const pulses: [string, Pulse][] = [
  ["simulated nominal", simulated("nominal", 3)],
  ["simulated bad night", simulated("bad-night", 4)],
];
if (existsSync(recorded)) {
  for (const f of ["nominal-pulse.f64", "bad-night-pulse.f64"])
    pulses.push([`recorded ${f}`, decodePulse(readFileSync(join(recorded, f)))]);
}

describe("the pulse envelope", () => {
  test("is 7,040 bytes: a hundredth of a pulse", () => {
    const bytes = encodeEnvelope(pulses[0]![1]);
    assert.equal(bytes.byteLength, 7040);
    assert.equal(envelopeBytes(), PULSE_BYTES / 100);
    assert.ok(isEnvelopeSize(7040) && isEnvelopeSize(envelopeBytes(110)) && !isEnvelopeSize(7041) && !isEnvelopeSize(PULSE_BYTES));
  });

  test("keeps each bucket's smallest and largest sample, in time order, so that every spike survives", () => {
    const data = new Float64Array(ROWS * SAMPLES);
    const r = rowOf("R1BLM3");
    data[r * SAMPLES + 1234] = 4.5; // a one-sample spike in bucket 12
    data[r * SAMPLES + 1210] = -0.25; // and a dip before it in the same bucket
    const env = decodeEnvelope(encodeEnvelope(pulseFromSamples(data)));
    assert.equal(env.buckets, 22);
    assert.equal(env.max(r)[12], 4.5);
    assert.equal(env.min(r)[12], -0.25);
    assert.deepEqual([env.values[(r * 22 + 12) * 2], env.values[(r * 22 + 12) * 2 + 1]], [-0.25, 4.5], "earlier extreme first");
    assert.equal(env.max(r)[11], 0);
  });

  test("equals the raw pulse's min and max per bucket (to float32), for every row", () => {
    const pulse = pulses[0]![1];
    const env = decodeEnvelope(encodeEnvelope(pulse));
    for (let row = 0; row < ROWS; row++) {
      const samples = pulse.row(row);
      for (let b = 0; b < 22; b++) {
        const bucket = samples.subarray(b * 100, (b + 1) * 100);
        // === (not assert.equal, which is Object.is): a flat channel may give 0 one way and -0 the other.
        assert.ok(env.min(row)[b] === Math.fround(Math.min(...bucket)), `row ${row} bucket ${b}`);
        assert.ok(env.max(row)[b] === Math.fround(Math.max(...bucket)), `row ${row} bucket ${b}`);
      }
    }
  });

  test("a bucket with no reading is NaN; a message of the wrong size gets one line", () => {
    const data = new Float64Array(ROWS * SAMPLES).fill(NaN);
    assert.ok(Number.isNaN(decodeEnvelope(encodeEnvelope(pulseFromSamples(data))).max(0)[0]!));
    assert.throws(
      () => decodeEnvelope(new Uint8Array(100)),
      (e: Error) =>
        e instanceof PayloadError &&
        e.message === "not a pulse envelope: 100 bytes (an envelope is 40 rows × buckets × 2 float32, e.g. 7040 bytes)",
    );
    assert.throws(() => encodeEnvelope(pulses[0]![1], 7), /invalid buckets: 7/);
  });

  for (const [name, pulse] of pulses) {
    test(`drawn out as a pulse it sketches the analysis: ${name}`, () => {
      const exact = analysePulse(pulse);
      const sketch = analysePulse(envelopePulse(decodeEnvelope(encodeEnvelope(pulse))));
      assert.equal(sketch.hottestBlm, exact.hottestBlm);
      assert.ok(Math.abs(sketch.intensityPeakV - exact.intensityPeakV) < 1e-5, `${sketch.intensityPeakV} vs ${exact.intensityPeakV}`);
      const ratio = sketch.hottestBlmIntegralVms / exact.hottestBlmIntegralVms;
      assert.ok(ratio > 1 && ratio < 1.35, `integral ratio ${ratio}`);
    });
  }

  test("the figures draw it as they draw a pulse: one line per monitor", () => {
    const pulse = pulses[0]![1];
    const paths = (svg: string) => (svg.match(/<path/g) ?? []).length;
    assert.equal(paths(pulsePlot(envelopePulse(decodeEnvelope(encodeEnvelope(pulse))))), paths(pulsePlot(pulse)));
  });
});

describe("a PulseMonitor on an envelope topic", () => {
  let broker: EmbeddedBroker;
  before(async () => (broker = await startBroker()));
  after(() => broker.close());

  test("analyses envelopes as it analyses pulses, and still rejects what is neither; a pulse topic takes no envelope", async () => {
    const monitor = await new PulseMonitor("ac_phys/workxp/envelope", { url: broker.url, settings: readSettings({}) }).start();
    const publisher = await new MQTTClient("ac_phys/workxp/envelope", { url: broker.url, settings: readSettings({}) }).connect();
    try {
      await publisher.publish("ac_phys/workxp/envelope", encodeEnvelope(pulses[1]![1]));
      await publisher.publish("ac_phys/workxp/envelope", "beam off");
      await waitFor("two messages", () => monitor.counts.received === 2);
      assert.equal(monitor.counts.analysed, 1);
      assert.equal(monitor.counts.rejected, 1);
      assert.equal(monitor.latest!.analysis.hottestBlm, analysePulse(pulses[1]![1]).hottestBlm);
      const raw = await new PulseMonitor("ac_phys/workxp/live_signals", { url: broker.url, settings: readSettings({}) }).start();
      try {
        await publisher.publish("ac_phys/workxp/live_signals", encodeEnvelope(pulses[1]![1]));
        await waitFor("the envelope on the pulse topic", () => raw.counts.received === 1);
        assert.equal(raw.counts.rejected, 1, "on the pulse topic, 7,040 bytes are a pulse too short");
        assert.match(raw.client.errors[0]!, /message too short: 7040 bytes/);
      } finally {
        await raw.stop();
      }
    } finally {
      await publisher.disconnect();
      await monitor.stop();
    }
  });
});
