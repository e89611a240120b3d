import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { analysePulse } from "../../src/beam/analysis";
import { decodePulse, pulseFromSamples } from "../../src/beam/decode";
import { DT_MS, ROWS, SAMPLES, rowOf, sampleAt, timeAxisMs } from "../../src/beam/layout";

/**
 * A hand-made pulse: BLMs at their offsets with a ±1 mV ripple (real channels always show noise; a
 * perfectly flat one is stuck), a trapezoid of beam, and a few chosen features.
 */
function makePulse(edit?: (set: (channel: string, f: (t: number, v: number) => number) => void) => void) {
  const data = new Float64Array(ROWS * SAMPLES);
  const t = timeAxisMs();
  const set = (channel: string, f: (t: number, v: number) => number) => {
    const row = rowOf(channel);
    for (let i = 0; i < SAMPLES; i++) data[row * SAMPLES + i] = f(t[i]!, data[row * SAMPLES + i]!);
  };
  for (let row = 0; row < 39; row++) for (let i = 0; i < SAMPLES; i++) data[row * SAMPLES + i] = -0.005 + row * 1e-4 + 1e-3 * ((i % 3) - 1);
  // Intensity: baseline +0.03 V, −3 V at 0 ms, −2.7 V (90 %) from 5 ms, back to baseline after 10 ms.
  set("R5IM", (ms) => (ms < -0.3 ? 0.03 : ms < 0 ? 0.03 - (3.03 * (ms + 0.3)) / 0.3 : ms < 5 ? -3 + 0.06 * ms : ms < 9.95 ? -2.7 : 0.03));
  edit?.(set);
  return pulseFromSamples(data);
}

describe("analysePulse", () => {
  test("measures the intensity peak and the fraction that survives to extraction", () => {
    const a = analysePulse(makePulse());
    assert.ok(Math.abs(a.intensityPeakV + 3) < 1e-4, `${a.intensityPeakV}`);
    assert.ok(Math.abs(a.intensityPeakMs) < DT_MS);
    assert.ok(Math.abs(a.survival - 2.73 / 3.03) < 1e-4, `survival ${a.survival}`);
  });

  test("integrates each BLM above its own offset, and names the hottest", () => {
    // A 1 ms wide, 0.2 V box on R4BLM3 and a 0.1 V box on R1BLM4, on top of their offsets.
    const a = analysePulse(
      makePulse((set) => {
        set("R4BLM3", (ms, v) => (ms >= 1 && ms < 2 ? v + 0.2 : v));
        set("R1BLM4", (ms, v) => (ms >= 3 && ms < 4 ? v + 0.1 : v));
      }),
    );
    assert.equal(a.hottestBlm, "R4BLM3");
    assert.ok(Math.abs(a.hottestBlmIntegralVms - 0.2) < 0.002, `${a.hottestBlmIntegralVms}`);
    assert.ok(Math.abs(a.lossIntegralVms[rowOf("R1BLM4")]! - 0.1) < 0.002);
    assert.ok(Math.abs(a.lossPeakV[rowOf("R4BLM3")]! - 0.201) < 1e-9, "0.2 V above the offset, plus the ripple");
    assert.ok(Math.abs(a.lossIntegralVms[rowOf("R2BLM1")]!) < 1e-5, "a quiet channel lost nothing");
  });

  test("ignores the extraction pickup spikes, which are not beam loss", () => {
    const a = analysePulse(makePulse((set) => set("R2BLM3", (ms, v) => (ms > 9.93 && ms < 9.96 ? v + 3 : v))));
    assert.ok(Math.abs(a.lossIntegralVms[rowOf("R2BLM3")]!) < 1e-5);
  });

  test("recognises a stuck channel and a saturated one as dead and leaves them out", () => {
    const a = analysePulse(
      makePulse((set) => {
        set("R0BLM1", () => -4.9994);
        set("R6BLM2", (ms) => (ms > 2 ? 5 : 4.999)); // pinned at the top of the range
        set("R3BLM1", (ms, v) => (ms >= 1 && ms < 1.5 ? v + 0.05 : v));
      }),
    );
    assert.deepEqual(a.deadChannels, ["R0BLM1", "R6BLM2"]);
    assert.ok(Number.isNaN(a.lossIntegralVms[0]!));
    assert.equal(a.hottestBlm, "R3BLM1");
  });

  test("skips NaN and infinite samples, counts them, and still finds the loss", () => {
    const a = analysePulse(
      makePulse((set) => {
        set("R3BLM1", (ms, v) => (ms >= 1 && ms < 1.5 ? v + 0.05 : v));
        set("R3BLM2", (ms, v) => (Math.abs(ms - 4) < 0.01 ? NaN : v));
        set("R7BLM4", (ms, v) => (Math.abs(ms - 6) < 0.003 ? Infinity : v));
      }),
    );
    assert.ok(a.nonFiniteSamples >= 3);
    assert.equal(a.hottestBlm, "R3BLM1");
    assert.ok(Number.isFinite(a.lossIntegralVms[rowOf("R7BLM4")]!));
  });
});

// Two real pulses recorded from the ISIS feed, when this checkout sits beside the team's shared folder.
const recorded = join(__dirname, "..", "..", "..", "shared", "data", "isis-2023");
describe("analysePulse on pulses recorded from the real feed", { skip: !existsSync(recorded) && "../shared/data is not here" }, () => {
  test("a nominal pulse: peak ≈ −3.15 V, ≈ 93 % survive, R1BLM3 hottest, R0BLM1 dead", () => {
    const pulse = decodePulse(readFileSync(join(recorded, "nominal-pulse.f64")));
    const a = analysePulse(pulse);
    assert.ok(Math.abs(a.intensityPeakV + 3.15) < 0.05, `${a.intensityPeakV}`);
    assert.ok(a.survival > 0.9 && a.survival < 0.96, `${a.survival}`);
    assert.equal(a.hottestBlm, "R1BLM3");
    assert.ok(a.deadChannels.includes("R0BLM1"));
    assert.ok(Math.abs(a.lossPeakV[rowOf("R1BLM3")]! - 0.23) < 0.05);
    assert.ok(sampleAt(2.05) > 0);
  });

  test("a bad night: peak ≈ −1.1 V, most of the beam lost", () => {
    const a = analysePulse(decodePulse(readFileSync(join(recorded, "bad-night-pulse.f64"))));
    assert.ok(Math.abs(a.intensityPeakV + 1.1) < 0.2, `${a.intensityPeakV}`);
    assert.ok(a.survival < 0.15, `${a.survival}`);
    assert.equal(a.hottestBlm, "R1BLM3");
  });
});
