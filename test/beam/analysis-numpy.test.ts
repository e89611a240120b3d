import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { analysePulse, type PulseAnalysis } from "../../src/beam/analysis";
import { decodePulse, encodePulse, pulseFromSamples } from "../../src/beam/decode";
import { rowOf, SAMPLES } from "../../src/beam/layout";
import { BeamSimulator } from "../../src/beam/simulator";

// analysePulse takes shortcuts for speed (one pass per channel, Σv − n·baseline, no median for a stuck channel):
// it must still say what the straightforward numpy analysis of the benchmark (bench/python/analysis.py) says.
const PYTHON = ["/usr/bin/python3", "python3"].find((p) => spawnSync(p, ["-c", "import numpy"], { stdio: "ignore" }).status === 0);
const ANALYSIS_DIR = join(__dirname, "..", "..", "bench", "python");
const RECORDED = join(__dirname, "..", "..", "..", "shared", "data", "isis-2023");

const NUMPY = `
import json, sys, math
import numpy as np
sys.path.insert(0, sys.argv[1])
from analysis import analyse_pulse
data = np.fromfile(sys.argv[2], dtype="<f8").reshape(-1, 40, 2200)
clean = lambda v: None if math.isnan(v) else float(v)
out = []
for a in data:
    with np.errstate(all="ignore"):
        r = analyse_pulse(a)
    out.append({
        "intensityPeakV": clean(r["intensity_peak_v"]), "intensityPeakMs": clean(r["intensity_peak_ms"]),
        "survival": clean(r["survival"]), "lossIntegralVms": [clean(v) for v in r["loss_integral_vms"]],
        "lossPeakV": [clean(v) for v in r["loss_peak_v"]], "hottestBlm": r["hottest_blm"],
        "hottestBlmIntegralVms": clean(r["hottest_blm_integral_vms"]), "deadChannels": r["dead_channels"],
        "nonFiniteSamples": int(r["non_finite_samples"]),
    })
print(json.dumps(out))
`;

/** Pulses that exercise every rule: simulated nights, the recorded ones, and edited ones with bad samples. */
function pulses(): { name: string; samples: Float64Array }[] {
  const out: { name: string; samples: Float64Array }[] = [];
  for (const scenario of ["nominal", "bad-night"] as const) {
    const simulator = new BeamSimulator({ scenario, seed: 7 });
    for (let i = 0; i < 4; i++) out.push({ name: `${scenario} #${i}`, samples: simulator.nextPulse().slice() });
  }
  for (const file of ["nominal-pulse.f64", "bad-night-pulse.f64"]) {
    const path = join(RECORDED, file);
    if (existsSync(path)) out.push({ name: `recorded ${file}`, samples: decodePulse(readFileSync(path)).data.slice() });
  }
  const edited = (name: string, edit: (set: (channel: string, i: number, v: number) => void) => void) => {
    const samples = new BeamSimulator({ seed: 3 }).nextPulse().slice();
    edit((channel, i, v) => (samples[rowOf(channel) * SAMPLES + i] = v));
    out.push({ name, samples });
  };
  edited("NaN and ±Infinity here and there", (set) => {
    set("R1BLM3", 400, NaN);
    set("R1BLM3", 401, Infinity);
    set("R2BLM1", 10, -Infinity); // in the baseline window
    set("R5IM", 1000, NaN);
    set("R9BLM4", 2199, NaN);
  });
  edited("the intensity has a −Infinity (no reading, not a peak)", (set) => set("R5IM", 30, -Infinity));
  edited("a channel that is all NaN", (set) => {
    for (let i = 0; i < SAMPLES; i++) set("R3BLM2", i, NaN);
  });
  edited("a saturated channel, and one that touches the rail once", (set) => {
    for (let i = 0; i < SAMPLES; i++) set("R6BLM2", i, i > 800 ? 5 : 4.999);
    set("R7BLM1", 900, 4.995);
  });
  edited("a stuck channel", (set) => {
    for (let i = 0; i < SAMPLES; i++) set("R4BLM4", i, 0.0123);
  });
  return out;
}

function close(actual: number, expected: number | null, what: string): void {
  if (expected === null) {
    assert.ok(Number.isNaN(actual), `${what}: ${actual}, numpy says NaN`);
    return;
  }
  // Different summation orders round differently, in the 15th digit.
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, numpy says ${expected}`);
}

test(
  "analysePulse agrees with the numpy analysis on simulated, recorded and damaged pulses",
  { skip: !PYTHON && "python3 with numpy is not installed" },
  () => {
    const cases = pulses();
    const dir = mkdtempSync(join(tmpdir(), "analysis-numpy-"));
    try {
      const file = join(dir, "pulses.f64");
      writeFileSync(file, Buffer.concat(cases.map((c) => encodePulse(c.samples))));
      const python = spawnSync(PYTHON!, ["-c", NUMPY, ANALYSIS_DIR, file], { encoding: "utf8", timeout: 60_000 });
      assert.equal(python.status, 0, python.stderr);
      const expected = JSON.parse(python.stdout) as Record<keyof PulseAnalysis, unknown>[];
      assert.equal(expected.length, cases.length);
      cases.forEach(({ name, samples }, k) => {
        const a = analysePulse(pulseFromSamples(samples));
        const e = expected[k]!;
        assert.equal(a.hottestBlm, e.hottestBlm, `${name}: hottest BLM`);
        assert.deepEqual(a.deadChannels, e.deadChannels, `${name}: dead channels`);
        assert.equal(a.nonFiniteSamples, e.nonFiniteSamples, `${name}: non-finite samples`);
        for (const key of ["intensityPeakV", "intensityPeakMs", "survival", "hottestBlmIntegralVms"] as const)
          close(a[key], e[key] as number | null, `${name}: ${key}`);
        for (const key of ["lossIntegralVms", "lossPeakV"] as const)
          a[key].forEach((v, row) => close(v, (e[key] as (number | null)[])[row]!, `${name}: ${key}[${row}]`));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
