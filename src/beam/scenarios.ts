/**
 * The numbers of the simulated machine, read off the pulses recorded from the real feed in May 2023 and the
 * numbers ISIS staff quote for them: each scenario's intensity and losses, each monitor's offset, noise and
 * pick-up, and how much pulses vary. No code: pulse-shape.ts turns these into arrays, simulator.ts into pulses.
 * The tables are kept out of Prettier's reach (prettier-ignore): one monitor or point per entry, packed to be read.
 */

/** The machine conditions the simulator can reproduce. */
export type Scenario = "nominal" | "bad-night";

/** All scenarios: "nominal" (a normal pulse, ≈ 93 % survives) and "bad-night" (heavy losses, no extraction). */
export const SCENARIOS: readonly Scenario[] = Object.freeze(["nominal", "bad-night"] as const);

/** What the broken monitor R0BLM1 reads in every pulse. */
export const DEAD_READING_V = -4.9994;
/** Pulse-to-pulse draws are cut at this many standard deviations, so that no pulse is absurd. */
export const MAX_SIGMAS = 3;

/** A loss bump: peak time (ms), height (V), and the Gaussian widths (ms) of its rise and of its fall. */
export type Bump = readonly [timeMs: number, volts: number, riseMs: number, fallMs: number];

export interface ScenarioModel {
  /** R5IM before the pulse, and its peak (V, raw: the intensity is negative-going). */
  readonly baselineV: number;
  readonly peakV: number;
  /** Injection: the beam builds up linearly from startMs to endMs (to endFraction), then settles. */
  readonly injection: { startMs: number; endMs: number; endFraction: number; settleMs: number };
  /** Fraction of the peak intensity lost by each time [ms, fraction], interpolated smoothly. */
  readonly lost: readonly (readonly [number, number])[];
  /** Whether the beam is extracted at ≈ 9.95 ms (with the kicker's pick-up on the BLMs). */
  readonly extraction: boolean;
  /** Loss bumps of each BLM. */
  readonly losses: Readonly<Record<string, readonly Bump[]>>;
  /** Pulse-to-pulse variation: relative σ of the intensity peak, absolute σ of the survival. */
  readonly peakSigma: number;
  readonly survivalSigma: number;
}

/** Every bump of a list, scaled: a monitor downstream sees the same loss, smaller. */
const scaled = (bumps: readonly Bump[], factor: number): Bump[] => bumps.map(([t, v, rise, fall]) => [t, v * factor, rise, fall]);

// R1BLM3, at the collimators in superperiod 1, sees most of the loss: a shoulder at 0.5 ms, the main
// peak at 2.05 ms (0.23 V, rising over ≈ 0.6 ms, falling over ≈ 0.3 ms) and a tail.
const NOMINAL_R1BLM3: readonly Bump[] = [
  [-0.18, 0.01, 0.03, 0.04], // during injection
  [0.52, 0.05, 0.2, 0.25], // the shoulder
  [2.02, 0.19, 0.59, 0.23], // the main peak
  [2.12, 0.047, 0.13, 1.1], // its tail
  [3.8, 0.006, 0.5, 1],
];

// prettier-ignore
const NOMINAL: ScenarioModel = {
  baselineV: 0.035,
  peakV: -3.15,
  injection: { startMs: -0.357, endMs: -0.186, endFraction: 0.94, settleMs: 0.05 },
  // ≈ 0.07 V/ms to 2.2 ms, 5.8 % by 3.5 ms, 6.7 % by 8 ms (93.3 % survives)
  lost: [
    [0.1, 0], [0.3, 0.0022], [0.5, 0.0075], [1, 0.0192], [1.5, 0.0315], [2, 0.0439], [2.2, 0.0488],
    [2.4, 0.0515], [2.8, 0.0547], [3.5, 0.0584], [4.5, 0.0628], [6, 0.0651], [8, 0.0671], [10.5, 0.068],
  ],
  extraction: true,
  losses: {
    R0BLM3: [[-0.23, 0.024, 0.07, 0.09], [-0.06, 0.01, 0.03, 0.6], ...scaled(NOMINAL_R1BLM3, 0.04)],
    R0BLM4: [[-0.25, 0.024, 0.06, 0.12], [-0.08, 0.0075, 0.015, 0.6], ...scaled(NOMINAL_R1BLM3, 0.05)],
    R1BLM1: scaled(NOMINAL_R1BLM3, 0.01),
    R1BLM2: scaled(NOMINAL_R1BLM3, 0.025),
    R1BLM3: NOMINAL_R1BLM3,
    R1BLM4: scaled(NOMINAL_R1BLM3, 0.34),
    R2BLM1: scaled(NOMINAL_R1BLM3, 0.05),
    R2BLM2: scaled(NOMINAL_R1BLM3, 0.04),
    R2BLM3: [[-0.2, 0.027, 0.057, 0.05], ...scaled(NOMINAL_R1BLM3, 0.07)],
    R2BLM4: scaled(NOMINAL_R1BLM3, 0.01),
    R3BLM1: scaled(NOMINAL_R1BLM3, 0.02),
    R3BLM4: [[-0.2, 0.016, 0.05, 0.12]],
    R4BLM3: [[1.56, 0.023, 0.09, 0.33]],
    R5BLM3: scaled(NOMINAL_R1BLM3, 0.02),
    R8BLM3: scaled(NOMINAL_R1BLM3, 0.06),
    R9BLM2: scaled(NOMINAL_R1BLM3, 0.04),
    R9BLM3: [[0.43, 0.0115, 0.14, 0.49]],
  },
  peakSigma: 0.0028,
  survivalSigma: 0.0015,
};

// A night with heavy losses (28 May 2023): a short injection, half the beam gone by 1 ms, more lost
// near 3.5 ms and 8.5 ms, and nothing left worth extracting.
// prettier-ignore
const BAD_NIGHT: ScenarioModel = {
  baselineV: 0.047,
  peakV: -1.15,
  injection: { startMs: -0.272, endMs: -0.182, endFraction: 0.93, settleMs: 0.03 },
  lost: [
    [-0.07, 0], [-0.04, 0.0127], [-0.02, 0.0369], [0, 0.0672], [0.05, 0.1469], [0.1, 0.2288], [0.15, 0.2936],
    [0.2, 0.3442], [0.3, 0.4071], [0.4, 0.4417], [0.5, 0.4633], [0.7, 0.4917], [1, 0.5257], [1.3, 0.5575],
    [1.6, 0.5829], [2, 0.6035], [2.2, 0.6086], [2.4, 0.6241], [2.7, 0.6601], [3, 0.7016], [3.3, 0.7443],
    [3.6, 0.7869], [3.8, 0.804], [4, 0.8092], [6, 0.8118], [7, 0.8169], [7.7, 0.8221], [7.9, 0.8291],
    [8.1, 0.8452], [8.3, 0.8645], [8.5, 0.8807], [8.7, 0.885], [10.5, 0.8873],
  ],
  extraction: false,
  losses: {
    R0BLM3: [[-0.047, 0.057, 0.009, 0.27], [0.022, 0.078, 0.12, 1.35], [2.94, 0.047, 0.37, 0.76], [8.35, 0.02, 0.27, 0.4]],
    R0BLM4: [[-0.062, 0.058, 0.005, 0.25], [0.036, 0.077, 0.16, 1.31], [2.84, 0.031, 0.35, 0.9], [8.31, 0.082, 0.29, 0.39]],
    R1BLM1: [[-0.009, 0.0128, 0.14, 0.24], [-0.022, 0.011, 0.024, 1.16], [2.92, 0.005, 0.38, 0.77], [8.28, 0.0087, 0.29, 0.28]],
    R1BLM2: [[-0.028, 0.025, 0.12, 0.19], [0.04, 0.023, 0.056, 1.3], [3.1, 0.005, 0.48, 0.87]],
    R1BLM3: [
      [-0.19, 1.47, 0.014, 0.042], [-0.03, 2.54, 0.039, 0.17], [0.047, 0.87, 0.023, 0.65], // injection, main, tail
      [1.3, 0.035, 0.3, 0.35], [3.3, 0.17, 0.76, 0.35],
    ],
    R1BLM4: [[-0.178, 0.55, 0.019, 0.052], [-0.024, 0.72, 0.035, 0.19], [0.054, 0.23, 0.031, 0.81], [3.19, 0.095, 0.6, 0.45]],
    R2BLM1: [[-0.18, 0.12, 0.016, 0.041], [-0.032, 0.107, 0.029, 0.25], [0.5, 0.02, 0.4, 0.7], [3.3, 0.02, 0.5, 0.35]],
    R2BLM2: [[-0.16, 0.022, 0.03, 0.05]],
    R2BLM3: [[-0.023, 0.055, 0.011, 0.087], [0.008, 0.03, 0.14, 0.46], [3, 0.01, 0.4, 0.4]],
    R2BLM4: [[0, 0.015, 0.05, 0.3]],
    R3BLM1: [[0, 0.009, 0.05, 0.3]],
    R3BLM2: [[3.7, 0.014, 0.3, 0.3]],
    R3BLM3: [[3.6, 0.015, 0.3, 0.3]],
    R3BLM4: [[0.19, 0.016, 0.21, 1.25], [3.56, 0.079, 0.22, 0.36]],
    R4BLM1: [[3.63, 0.009, 0.2, 0.2]],
    R8BLM1: [[-0.15, 0.03, 0.015, 0.02]],
    R8BLM3: [[-0.155, 0.01, 0.015, 0.02]],
  },
  peakSigma: 0.01,
  survivalSigma: 0.008,
};

export const SCENARIO_MODELS: Readonly<Record<Scenario, ScenarioModel>> = { nominal: NOMINAL, "bad-night": BAD_NIGHT };

/**
 * Each BLM as built: [offset mV, noise σ mV, lag-1 correlation of the noise, injection blip mV],
 * measured on the recorded pulses. R7BLM2 and R8BLM2 are broken: white noise, no beam response.
 */
// prettier-ignore
export const BLMS: Readonly<Record<string, readonly [number, number, number, number]>> = {
  R0BLM3: [-4.9, 0.8, 0.35, 5], R0BLM4: [3, 2.1, 0.46, 8],
  R1BLM1: [-6.7, 1.03, 0.35, 3], R1BLM2: [-6.7, 0.96, 0.33, 4], R1BLM3: [-4.9, 1.45, 0.48, 9], R1BLM4: [-3, 1.31, 0.33, 5],
  R2BLM1: [-1.8, 0.7, 0.33, 2], R2BLM2: [-4.9, 0.75, 0.33, 4], R2BLM3: [6.1, 3.5, 0.5, 10], R2BLM4: [-3, 0.87, 0.33, 4],
  R3BLM1: [-8.5, 0.88, 0.38, 3], R3BLM2: [-3, 1.45, 0.41, 4], R3BLM3: [1.2, 3.5, 0.5, 9], R3BLM4: [-1.8, 1.66, 0.33, 10],
  R4BLM1: [-12.8, 1.73, 0.33, 10], R4BLM2: [0, 1.65, 0.41, 8], R4BLM3: [2.4, 1.68, 0.35, 10], R4BLM4: [4.9, 3.35, 0.41, 14],
  R5BLM1: [1.8, 1.81, 0.33, 10], R5BLM2: [-1.8, 1.86, 0.36, 8], R5BLM3: [-1.2, 1.59, 0.41, 4], R5BLM4: [-4.9, 1.42, 0.33, 4],
  R6BLM1: [-1.8, 0.88, 0.33, 2], R6BLM2: [-2.4, 1.73, 0.43, 7], R6BLM3: [-1.2, 1.62, 0.42, 6], R6BLM4: [-5.5, 3.37, 0.5, 5],
  R7BLM1: [-2.4, 1.76, 0.38, 5], R7BLM2: [0, 0.45, 0, 0], R7BLM3: [-4.3, 1, 0.5, 3], R7BLM4: [3.7, 1.73, 0.44, 3],
  R8BLM1: [2.4, 3.7, 0.5, 10], R8BLM2: [0.6, 0.45, 0, 0], R8BLM3: [7, 2.83, 0.39, 7], R8BLM4: [3, 1.7, 0.5, 5],
  R9BLM1: [-1.8, 1.75, 0.4, 7], R9BLM2: [3, 2.34, 0.33, 6], R9BLM3: [2.4, 1.55, 0.33, 6], R9BLM4: [0.6, 1.78, 0.5, 7],
};

/** A small negative shift (mV) from the start of each cycle on some R8/R9 monitors: pick-up, not beam. */
// prettier-ignore
export const CYCLE_PICKUP_MV: Readonly<Record<string, number>> = {
  R5BLM2: -2.8, R8BLM1: -9.5, R8BLM3: -5.5, R8BLM4: -2.8, R9BLM1: -2.8, R9BLM2: -4, R9BLM3: -2.5, R9BLM4: -3.5,
};

/**
 * What the extraction kicker induces on the BLMs when it fires (electrical pick-up, not loss):
 * [peak V, time to peak ms, ringing period ms or 0]. Most channels only ring a little.
 */
// prettier-ignore
export const KICKER_PICKUP: Readonly<Record<string, readonly [number, number, number]>> = {
  R1BLM3: [0.041, 0.008, 0], R1BLM4: [0.033, 0.011, 0], R2BLM1: [0.016, 0.008, 0], R2BLM3: [0.2, 0.004, 0],
  R9BLM2: [-0.05, 0.009, 0], R8BLM1: [-0.155, 0.02, 0.12],
  R0BLM3: [-0.005, 0.02, 0.05], R0BLM4: [-0.02, 0.02, 0.05], R1BLM1: [-0.006, 0.02, 0.05], R1BLM2: [0.009, 0.02, 0.05],
  R3BLM3: [-0.025, 0.02, 0.05], R3BLM4: [-0.01, 0.02, 0.05], R4BLM1: [-0.01, 0.02, 0.05], R4BLM2: [-0.009, 0.02, 0.05],
  R4BLM3: [-0.008, 0.02, 0.05], R4BLM4: [-0.025, 0.02, 0.05], R5BLM1: [-0.012, 0.02, 0.05], R5BLM2: [-0.012, 0.02, 0.05],
  R6BLM2: [0.008, 0.02, 0.05], R6BLM3: [-0.01, 0.02, 0.05], R6BLM4: [-0.008, 0.02, 0.05], R7BLM4: [-0.009, 0.02, 0.05],
  R8BLM3: [-0.016, 0.02, 0.05], R8BLM4: [-0.01, 0.02, 0.05], R9BLM1: [-0.013, 0.02, 0.05], R9BLM3: [-0.008, 0.02, 0.05],
  R9BLM4: [-0.012, 0.02, 0.05],
};
export const KICKER_MS = 9.9165; // when the kicker fires, just before the beam leaves
/** Injection blip: a few mV on most BLMs at −0.11 ms (σ 25 µs), pick-up from the injection. */
export const BLIP_MS = -0.11;
export const BLIP_WIDTH_MS = 0.025;

/** R5IM: its noise, and how far its limited bandwidth smears edges (Gaussian σ, ms). */
export const INTENSITY_NOISE_V = 0.00055;
export const INTENSITY_NOISE_PHI = 0.15;
export const MONITOR_SMOOTHING_MS = 0.01;
/** Extraction: the beam leaves in one turn; the monitor undershoots by ≈ 13 % of it and recovers (τ ≈ 45 µs). */
export const EXTRACTION_MS = 9.953;
export const UNDERSHOOT = 0.128;
export const UNDERSHOOT_PEAK_MS = 9.994;
export const UNDERSHOOT_RECOVERY_MS = 0.045;
export const AFTER_EXTRACTION_V = 0.02;
/** Pulse-to-pulse: all losses scale together by ≈ ±6 %, each monitor by ≈ ±2.5 % more, and move by ≈ 30 µs. */
export const LOSS_SIGMA = 0.06;
export const CHANNEL_SIGMA = 0.025;
export const TIMING_SIGMA_MS = 0.03;
/** How closely the intensity lost follows the loss scale, so that R1BLM3's integral correlates with it (r ≈ 0.69). */
export const LOSS_CORRELATION = 0.75;
export const LOSS_INDEPENDENCE = Math.sqrt(1 - LOSS_CORRELATION ** 2);
