import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { analysePulse, type PulseAnalysis } from "../../src/beam/analysis";
import { encodePulse, pulseFromSamples, type Pulse } from "../../src/beam/decode";
import { CHANNELS, INTENSITY_ROW, PULSE_BYTES, ROWS, SAMPLES, sampleAt, timeAxisMs } from "../../src/beam/layout";
import { Random } from "../../src/beam/random";
import { BeamSimulator, SCENARIOS, type Scenario } from "../../src/beam/simulator";

// The expected numbers come from the ISIS beam model (public ISIS material and 28 frames recorded
// from the real feed in May 2023); the tests need no recorded data.

const STEP_V = 10 / 2 ** 14;
const time = timeAxisMs();

function pulses(scenario: Scenario, count: number, seed?: number): { pulse: Pulse; analysis: PulseAnalysis }[] {
  const sim = new BeamSimulator({ scenario, seed });
  return Array.from({ length: count }, () => {
    const pulse = pulseFromSamples(sim.nextPulse());
    return { pulse, analysis: analysePulse(pulse) };
  });
}

function meanOf(row: Float64Array, fromMs: number, toMs: number): number {
  let sum = 0;
  for (let i = sampleAt(fromMs); i <= sampleAt(toMs); i++) sum += row[i]!;
  return sum / (sampleAt(toMs) - sampleAt(fromMs) + 1);
}

function peakIn(row: Float64Array, fromMs: number, toMs: number): { volts: number; ms: number } {
  let best = sampleAt(fromMs);
  for (let i = best; i <= sampleAt(toMs); i++) if (row[i]! > row[best]!) best = i;
  return { volts: row[best]!, ms: time[best]! };
}

function lowestIn(row: Float64Array, fromMs: number, toMs: number): { volts: number; ms: number } {
  const negated = row.map((v) => -v);
  const { volts, ms } = peakIn(negated, fromMs, toMs);
  return { volts: -volts, ms };
}

/** Standard deviation and lag-1 autocorrelation of a window of samples. */
function noiseOf(row: Float64Array, fromMs: number, toMs: number): { sigma: number; lag1: number } {
  const x = row.subarray(sampleAt(fromMs), sampleAt(toMs) + 1);
  const mean = x.reduce((a, b) => a + b) / x.length;
  let variance = 0;
  let covariance = 0;
  for (let i = 0; i < x.length; i++) {
    variance += (x[i]! - mean) ** 2;
    if (i > 0) covariance += (x[i]! - mean) * (x[i - 1]! - mean);
  }
  return { sigma: Math.sqrt(variance / x.length), lag1: covariance / variance };
}

function std(values: number[]): number {
  const mean = values.reduce((a, b) => a + b) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
}

function correlation(a: number[], b: number[]): number {
  const ma = a.reduce((x, y) => x + y) / a.length;
  const mb = b.reduce((x, y) => x + y) / b.length;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - ma) * (b[i]! - mb);
  return sum / (a.length - 1) / std(a) / std(b);
}

const lossPeak = (a: PulseAnalysis, name: string): number => a.lossPeakV[CHANNELS.indexOf(name)]!;

function assertBetween(value: number, low: number, high: number, what: string): void {
  assert.ok(value > low && value < high, `${what}: ${value} is not between ${low} and ${high}`);
}

describe("Random", () => {
  test("repeats its sequence for the same seed and differs for another", () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => [random.next(), random.gaussian()]);
    };
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
    assert.notDeepEqual(draw(1), draw(1 + 2 ** 32), "large seeds keep their high bits");
  });

  test("gives uniform numbers in [0, 1) and standard normal numbers", () => {
    const random = new Random(7);
    const n = 200_000;
    let uniform = 0;
    let sum = 0;
    let squares = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const u = random.next();
      assert.ok(u >= 0 && u < 1);
      uniform += u;
      const g = random.gaussian();
      sum += g;
      squares += g * g;
      if (Math.abs(g) > 2) beyond2++;
    }
    assert.ok(Math.abs(uniform / n - 0.5) < 0.005);
    assert.ok(Math.abs(sum / n) < 0.01);
    assert.ok(Math.abs(squares / n - 1) < 0.015);
    assert.ok(Math.abs(beyond2 / n - 0.0455) < 0.003, `P(|z| > 2) = ${beyond2 / n}`);
  });

  test("refuses a seed that is not a finite number", () => {
    assert.throws(() => new Random(NaN), RangeError);
  });
});

describe("BeamSimulator", () => {
  test("offers the nominal and bad-night scenarios, nominal by default, with a fixed default seed", () => {
    assert.deepEqual([...SCENARIOS], ["nominal", "bad-night"]);
    const a = new BeamSimulator();
    const b = new BeamSimulator();
    assert.equal(a.scenario, "nominal");
    assert.equal(typeof a.seed, "number");
    assert.deepEqual(a.nextPulse(), b.nextPulse());
  });

  test("makes a new array of 88,000 finite samples for each pulse, and counts them", () => {
    const sim = new BeamSimulator({ seed: 1 });
    assert.equal(sim.count, 0);
    const first = sim.nextPulse();
    const second = sim.nextPulse();
    assert.equal(sim.count, 2);
    assert.equal(first.length, ROWS * SAMPLES);
    assert.notEqual(first, second);
    assert.ok(first.every(Number.isFinite));
  });

  test("encodes to one 704,000-byte message", () => {
    const sim = new BeamSimulator({ seed: 2 });
    assert.equal(encodePulse(pulseFromSamples(sim.nextPulse())).byteLength, PULSE_BYTES);
  });

  test("repeats the same pulses for the same seed and scenario, and changes the noise for another seed", () => {
    for (const scenario of SCENARIOS) {
      const a = new BeamSimulator({ seed: 5, scenario });
      const b = new BeamSimulator({ seed: 5, scenario });
      const c = new BeamSimulator({ seed: 6, scenario });
      for (let k = 0; k < 3; k++) {
        const pa = encodePulse(a.nextPulse());
        assert.deepEqual(pa, encodePulse(b.nextPulse()));
        assert.notDeepEqual(pa, encodePulse(c.nextPulse()));
      }
    }
  });

  test("throws a RangeError that lists the scenarios for an unknown one", () => {
    assert.throws(() => new BeamSimulator({ scenario: "sunny" as Scenario }), {
      name: "RangeError",
      message: /unknown scenario: "sunny" \(expected one of: nominal, bad-night\)/,
    });
    assert.throws(() => new BeamSimulator({ seed: Infinity }), RangeError);
  });

  test("rounds every live sample to the 14-bit ADC step of 10/2^14 V", () => {
    for (const scenario of SCENARIOS) {
      const data = new BeamSimulator({ scenario }).nextPulse();
      for (let i = SAMPLES; i < data.length; i++) {
        assert.ok(Number.isInteger(data[i]! / STEP_V), `sample ${i}: ${data[i]}`);
      }
    }
  });

  test("keeps R0BLM1 stuck at exactly −4.9994 V, the only channel analysePulse finds dead", () => {
    for (const { pulse, analysis } of [...pulses("nominal", 2), ...pulses("bad-night", 2)]) {
      assert.ok(pulse.channel("R0BLM1").every((v) => v === -4.9994));
      assert.deepEqual(analysis.deadChannels, ["R0BLM1"]);
    }
  });

  test("keeps R7BLM2 and R8BLM2 flat: a little noise and no response to the beam", () => {
    for (const { pulse } of [...pulses("nominal", 2), ...pulses("bad-night", 2)]) {
      for (const name of ["R7BLM2", "R8BLM2"]) {
        const row = pulse.channel(name);
        assert.ok(Math.max(...row) - Math.min(...row) < 0.005, name);
        assert.ok(Math.abs(meanOf(row, -0.1, 1) - meanOf(row, -0.5, -0.38)) < 0.001, name);
      }
    }
  });
});

describe("a nominal pulse", () => {
  const sample = pulses("nominal", 40);

  test("peaks at ≈ −3.15 V on R5IM just after injection", () => {
    for (const { analysis } of sample) {
      assertBetween(analysis.intensityPeakV, -3.25, -3.05, "peak (V)");
      assertBetween(analysis.intensityPeakMs, -0.1, 0.25, "peak time (ms)");
    }
  });

  test("injects at ≈ −18 V/ms from a +0.035 V baseline, starting at −0.37 ms", () => {
    const r5im = sample[0]!.pulse.channel("R5IM");
    assertBetween(meanOf(r5im, -0.5, -0.4), 0.03, 0.04, "baseline (V)");
    assertBetween(meanOf(r5im, -0.4, -0.38), 0.02, 0.04, "just before −0.37 ms (V)");
    const slope = (meanOf(r5im, -0.26, -0.25) - meanOf(r5im, -0.31, -0.3)) / 0.05;
    assertBetween(slope, -20, -16, "injection slope (V/ms)");
  });

  test("keeps 91–95 % of its beam until extraction", () => {
    for (const { analysis } of sample) assertBetween(analysis.survival, 0.91, 0.95, "survival");
  });

  test("is extracted at 9.93–9.97 ms, undershoots to ≈ −0.3 V near 9.995 ms and settles at ≈ +0.02 V", () => {
    for (const { pulse } of sample.slice(0, 5)) {
      const r5im = pulse.channel("R5IM");
      assertBetween(r5im[sampleAt(9.92)]!, -3, -2.9, "at 9.92 ms (V)");
      assertBetween(r5im[sampleAt(9.97)]!, -0.3, -0.1, "at 9.97 ms (V)");
      const undershoot = lowestIn(r5im, 9.97, 10.1);
      assertBetween(undershoot.volts, -0.35, -0.25, "undershoot (V)");
      assertBetween(undershoot.ms, 9.98, 10.01, "undershoot time (ms)");
      assertBetween(meanOf(r5im, 10.3, 10.5), 0.01, 0.03, "after extraction (V)");
    }
  });

  test("loses most on R1BLM3: ≈ 0.23 V near 2.05 ms, with a ≈ 0.06 V shoulder at 0.5 ms", () => {
    for (const { pulse, analysis } of sample) {
      assert.equal(analysis.hottestBlm, "R1BLM3");
      const peak = peakIn(pulse.channel("R1BLM3"), 0, 9.9);
      assertBetween(lossPeak(analysis, "R1BLM3"), 0.18, 0.28, "R1BLM3 peak (V)");
      assertBetween(peak.ms, 1.9, 2.2, "R1BLM3 peak time (ms)");
      const shoulder = meanOf(pulse.channel("R1BLM3"), 0.45, 0.55) - meanOf(pulse.channel("R1BLM3"), -0.5, -0.38);
      assertBetween(shoulder, 0.04, 0.08, "R1BLM3 at 0.5 ms (V)");
    }
  });

  test("shows the other monitors' losses at their usual sizes relative to R1BLM3", () => {
    const { analysis } = sample[0]!;
    const r1blm3 = lossPeak(analysis, "R1BLM3");
    const relative = (name: string) => lossPeak(analysis, name) / r1blm3;
    assertBetween(relative("R1BLM4"), 0.28, 0.4, "R1BLM4 / R1BLM3");
    assertBetween(relative("R4BLM3"), 0.06, 0.14, "R4BLM3 / R1BLM3");
    // R2BLM3's biggest signal is the extraction kicker's pick-up, not a loss
    const r2blm3 = sample[0]!.pulse.channel("R2BLM3");
    const kick = peakIn(r2blm3, 9.9, 9.95).volts - meanOf(r2blm3, -0.5, -0.38);
    assertBetween(kick, 0.15, 0.23, "R2BLM3 kick (V)");
  });

  test("has BLM offsets of −14…+7 mV and noise of 0.7–3.8 mV, correlated sample to sample", () => {
    const { pulse } = sample[0]!;
    for (let row = 1; row < INTENSITY_ROW; row++) {
      const name = CHANNELS[row]!;
      // before injection, averaged over pulses so that the noise averages out
      const offset = sample.slice(0, 10).reduce((sum, p) => sum + meanOf(p.pulse.row(row), -0.5, -0.38), 0) / 10;
      assertBetween(offset, -0.015, 0.008, `${name} offset (V)`);
      if (name === "R7BLM2" || name === "R8BLM2") continue; // broken: quantisation-level noise
      const { sigma } = noiseOf(pulse.row(row), 5, 9.5);
      assertBetween(sigma, 0.0006, 0.004, `${name} noise σ (V)`);
    }
    // a quiet monitor in the acceleration window: AR(1) noise, lag-1 autocorrelation 0.3–0.5
    for (const { pulse } of sample.slice(0, 5)) {
      const { lag1 } = noiseOf(pulse.channel("R3BLM2"), 3.5, 9.9);
      assertBetween(lag1, 0.2, 0.6, "R3BLM2 lag-1 autocorrelation");
    }
  });

  test("varies from pulse to pulse like the machine: loss ≈ 6.7 %, intensity ≈ 0.28 %, timing ≈ 30 µs", () => {
    const peaks = sample.map(({ analysis }) => lossPeak(analysis, "R1BLM3"));
    const relative = std(peaks) / (peaks.reduce((a, b) => a + b) / peaks.length);
    assertBetween(relative, 0.02, 0.15, "relative σ of the R1BLM3 peak");
    const intensity = sample.map(({ analysis }) => analysis.intensityPeakV);
    assertBetween(std(intensity) / 3.15, 0.001, 0.006, "relative σ of the intensity peak");
    const survival = sample.map(({ analysis }) => analysis.survival);
    assertBetween(std(survival), 0.0005, 0.004, "σ of the survival");
    const times = sample.map(({ pulse }) => peakIn(pulse.channel("R1BLM3"), 1.5, 2.5).ms);
    assertBetween(std(times), 0.01, 0.06, "σ of the R1BLM3 peak time (ms)");
  });

  test("loses more beam on pulses whose BLMs see more loss", () => {
    const integral = sample.map(({ analysis }) => analysis.hottestBlmIntegralVms);
    const lost = sample.map(({ analysis }) => 1 - analysis.survival);
    assertBetween(correlation(integral, lost), 0.3, 1, "correlation");
  });
});

describe("a bad-night pulse", () => {
  const sample = pulses("bad-night", 25);

  test("peaks at only ≈ −1.1 V, loses about half its beam by 1 ms and keeps under 15 %", () => {
    for (const { pulse, analysis } of sample) {
      assertBetween(analysis.intensityPeakV, -1.3, -0.9, "peak (V)");
      const r5im = pulse.channel("R5IM");
      const baseline = meanOf(r5im, -0.5, -0.38);
      const left = (meanOf(r5im, 0.95, 1.05) - baseline) / (analysis.intensityPeakV - baseline);
      assertBetween(left, 0.35, 0.65, "fraction left at 1 ms");
      assertBetween(analysis.survival, 0, 0.15, "survival");
    }
  });

  test("is never extracted: no edge near 10 ms", () => {
    const r5im = sample[0]!.pulse.channel("R5IM");
    assertBetween(meanOf(r5im, 10.2, 10.5) - meanOf(r5im, 9.5, 9.8), -0.01, 0.01, "step at 10 ms (V)");
  });

  test("hits R1BLM3 with 2.5–4.25 V near 0–0.2 ms, never more", () => {
    for (const { pulse, analysis } of sample) {
      const peak = peakIn(pulse.channel("R1BLM3"), -0.5, 10.5);
      assertBetween(peak.volts, 2.5, 4.25, "R1BLM3 peak (V)");
      assertBetween(peak.ms, -0.1, 0.25, "R1BLM3 peak time (ms)");
      assert.equal(analysis.hottestBlm, "R1BLM3");
    }
  });

  test("loses ≈ 0.8–1.0 V on R1BLM4 and 0.11–0.17 V on R0BLM3/4, with more near 3.5 ms and 8.5 ms", () => {
    for (const { pulse, analysis } of sample) {
      assertBetween(lossPeak(analysis, "R1BLM4"), 0.7, 1.1, "R1BLM4 peak (V)");
      assertBetween(lossPeak(analysis, "R0BLM3"), 0.1, 0.18, "R0BLM3 peak (V)");
      assertBetween(lossPeak(analysis, "R0BLM4"), 0.1, 0.18, "R0BLM4 peak (V)");
      const second = peakIn(pulse.channel("R3BLM4"), 2, 5);
      assertBetween(second.ms, 3.2, 3.9, "R3BLM4 second bump (ms)");
      assertBetween(second.volts, 0.05, 0.15, "R3BLM4 second bump (V)");
      const third = peakIn(pulse.channel("R0BLM4"), 6, 10);
      assertBetween(third.ms, 8, 8.7, "R0BLM4 third bump (ms)");
      assertBetween(third.volts, 0.05, 0.15, "R0BLM4 third bump (V)");
    }
  });
});
