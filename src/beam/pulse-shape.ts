/**
 * Turning a scenario's numbers into arrays, once per scenario: the part of every pulse that never changes
 * (offsets, pick-up, the dead channel), each monitor's loss template and the intensity's shape. The numerics —
 * Gaussian bumps, smoothing, a monotone cubic through the loss curve — are small and specific to this model,
 * so they are written out here rather than taken from a library.
 */
import { CHANNELS, DT_MS, INTENSITY_ROW, ROWS, SAMPLES, rowOf, timeAxisMs } from "./layout";
import {
  AFTER_EXTRACTION_V,
  BLIP_MS,
  BLIP_WIDTH_MS,
  BLMS,
  CYCLE_PICKUP_MV,
  DEAD_READING_V,
  EXTRACTION_MS,
  INTENSITY_NOISE_PHI,
  INTENSITY_NOISE_V,
  KICKER_MS,
  KICKER_PICKUP,
  MAX_SIGMAS,
  MONITOR_SMOOTHING_MS,
  SCENARIO_MODELS,
  TIMING_SIGMA_MS,
  UNDERSHOOT,
  UNDERSHOOT_PEAK_MS,
  UNDERSHOOT_RECOVERY_MS,
  type Bump,
  type Scenario,
  type ScenarioModel,
} from "./scenarios";

/** Loss templates are computed this many samples beyond both ends, so that they can be shifted. */
export const PAD = MAX_SIGMAS * Math.ceil(TIMING_SIGMA_MS / DT_MS) + 2;

export interface CompiledModel {
  /** Offsets, pick-up and blips, the dead channel, the R5IM baseline: the same in every pulse. */
  readonly fixed: Float64Array;
  /** Per row: unit-scale loss, padded by PAD samples each side, or undefined when the row sees none. */
  readonly losses: readonly (Float64Array | undefined)[];
  /** R5IM = fixed + height × intensityA + height × lossFactor × intensityB. */
  readonly intensityA: Float64Array;
  readonly intensityB: Float64Array;
  readonly height: number;
  /** Noise of each row: σ (V) and lag-1 correlation. */
  readonly noiseSigma: Float64Array;
  readonly noisePhi: Float64Array;
  /** Relative σ of the intensity peak, and of the fraction lost. */
  readonly peakSigma: number;
  readonly lossFactorSigma: number;
}

const compiledModels = new Map<Scenario, CompiledModel>();

export function compiled(scenario: Scenario): CompiledModel {
  let model = compiledModels.get(scenario);
  if (!model) {
    model = compile(SCENARIO_MODELS[scenario]);
    compiledModels.set(scenario, model);
  }
  return model;
}

function compile(s: ScenarioModel): CompiledModel {
  const time = timeAxisMs();
  const fixed = new Float64Array(ROWS * SAMPLES);
  const noiseSigma = new Float64Array(ROWS);
  const noisePhi = new Float64Array(ROWS);
  fixed.fill(DEAD_READING_V, 0, SAMPLES); // row 0, R0BLM1: stuck, no noise

  for (const [name, [offsetMv, sigmaMv, phi, blipMv]] of Object.entries(BLMS)) {
    const row = rowOf(name);
    const pickupMv = CYCLE_PICKUP_MV[name] ?? 0;
    const kicker = s.extraction ? KICKER_PICKUP[name] : undefined;
    noiseSigma[row] = sigmaMv / 1000;
    noisePhi[row] = phi;
    for (let i = 0; i < SAMPLES; i++) {
      const t = time[i]!;
      const pickup = pickupMv * smoothstep((t + 0.25) / 0.2); // switches on over −0.25 … −0.05 ms
      const blip = blipMv * Math.exp(-0.5 * ((t - BLIP_MS) / BLIP_WIDTH_MS) ** 2);
      const kick = kicker ? kickerPickup(t - KICKER_MS, ...kicker) : 0;
      fixed[row * SAMPLES + i] = (offsetMv + pickup + blip) / 1000 + kick;
    }
  }

  const losses: (Float64Array | undefined)[] = CHANNELS.map(() => undefined);
  for (const [name, bumps] of Object.entries(s.losses)) {
    const template = new Float64Array(SAMPLES + 2 * PAD);
    for (let j = 0; j < template.length; j++) template[j] = bumpsAt(bumps, time[0]! + (j - PAD) * DT_MS);
    losses[rowOf(name)] = template;
  }

  // R5IM: the ideal beam (injected, minus lost, minus extracted), then what the monitor makes of it
  const lost = pchip(s.lost);
  const lostByExtraction = lost(EXTRACTION_MS);
  const baseline = new Float64Array(SAMPLES);
  const intensityA = new Float64Array(SAMPLES);
  const intensityB = new Float64Array(SAMPLES);
  for (let i = 0; i < SAMPLES; i++) {
    const t = time[i]!;
    const present = s.extraction && t >= EXTRACTION_MS ? 0 : 1;
    const undershoot = s.extraction ? UNDERSHOOT * undershootAt(t) : 0;
    baseline[i] = present ? s.baselineV : AFTER_EXTRACTION_V;
    // volts = baseline − height × (injected − lossFactor × lost) × present − height × (extracted) × undershoot
    intensityA[i] = -(injected(s.injection, t) * present + undershoot);
    intensityB[i] = lost(t) * present + lostByExtraction * undershoot;
  }
  const sigma = MONITOR_SMOOTHING_MS / DT_MS;
  fixed.set(smooth(baseline, sigma), INTENSITY_ROW * SAMPLES);
  noiseSigma[INTENSITY_ROW] = INTENSITY_NOISE_V;
  noisePhi[INTENSITY_ROW] = INTENSITY_NOISE_PHI;

  return {
    fixed,
    losses,
    intensityA: smooth(intensityA, sigma),
    intensityB: smooth(intensityB, sigma),
    height: s.baselineV - s.peakV,
    noiseSigma,
    noisePhi,
    peakSigma: s.peakSigma,
    lossFactorSigma: s.survivalSigma / lostByExtraction,
  };
}

function bumpsAt(bumps: readonly Bump[], t: number): number {
  let v = 0;
  for (const [t0, volts, rise, fall] of bumps) v += volts * Math.exp(-0.5 * ((t - t0) / (t < t0 ? rise : fall)) ** 2);
  return v;
}

/** Fraction of the full beam injected by time t: a linear build-up over the injection, then settling. */
function injected(inj: ScenarioModel["injection"], t: number): number {
  if (t <= inj.startMs) return 0;
  if (t <= inj.endMs) return (inj.endFraction * (t - inj.startMs)) / (inj.endMs - inj.startMs);
  return 1 - (1 - inj.endFraction) * Math.exp(-(t - inj.endMs) / inj.settleMs);
}

/** The monitor's undershoot after extraction, 0…1: builds up as the beam leaves, then recovers. */
function undershootAt(t: number): number {
  if (t < UNDERSHOOT_PEAK_MS) return smoothstep((t - (UNDERSHOOT_PEAK_MS - 0.035)) / 0.035);
  return Math.exp(-(t - UNDERSHOOT_PEAK_MS) / UNDERSHOOT_RECOVERY_MS);
}

/** Kicker pick-up `dt` ms after it fires: rises to its peak, decays, and rings when a period is given. */
function kickerPickup(dt: number, volts: number, peakMs: number, periodMs: number): number {
  if (dt <= 0) return 0;
  const ring = periodMs > 0 ? Math.cos((2 * Math.PI * dt) / periodMs) : 1;
  return volts * (dt / peakMs) * Math.exp(1 - dt / peakMs) * ring;
}

function smoothstep(x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return x * x * (3 - 2 * x);
}

/** A copy smoothed by a Gaussian of σ samples (the ends are held flat). */
function smooth(a: Float64Array, sigma: number): Float64Array {
  const reach = Math.ceil(4 * sigma);
  const weights = Array.from({ length: 2 * reach + 1 }, (_, k) => Math.exp(-0.5 * ((k - reach) / sigma) ** 2));
  const total = weights.reduce((x, y) => x + y);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    let v = 0;
    for (let k = -reach; k <= reach; k++) v += weights[k + reach]! * a[Math.min(a.length - 1, Math.max(0, i + k))]!;
    out[i] = v / total;
  }
  return out;
}

/**
 * A smooth curve through [x, y] points that never overshoots them (monotone piecewise cubic,
 * Fritsch–Carlson); flat beyond the first and last point.
 */
function pchip(points: readonly (readonly [number, number])[]): (x: number) => number {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const n = xs.length;
  const h = xs.slice(1).map((x, k) => x - xs[k]!);
  const d = h.map((hk, k) => (ys[k + 1]! - ys[k]!) / hk);
  const m = xs.map((_, k) => {
    if (k === 0) return d[0]!;
    if (k === n - 1) return d[n - 2]!;
    const [d0, d1, h0, h1] = [d[k - 1]!, d[k]!, h[k - 1]!, h[k]!];
    if (d0 * d1 <= 0) return 0;
    const w1 = 2 * h1 + h0;
    const w2 = h1 + 2 * h0;
    return (w1 + w2) / (w1 / d0 + w2 / d1);
  });
  return (x) => {
    if (x <= xs[0]!) return ys[0]!;
    if (x >= xs[n - 1]!) return ys[n - 1]!;
    let k = 0;
    while (x > xs[k + 1]!) k++;
    const u = (x - xs[k]!) / h[k]!;
    const u2 = u * u;
    const u3 = u2 * u;
    return (
      (2 * u3 - 3 * u2 + 1) * ys[k]! + (u3 - 2 * u2 + u) * h[k]! * m[k]! + (-2 * u3 + 3 * u2) * ys[k + 1]! + (u3 - u2) * h[k]! * m[k + 1]!
    );
  };
}
