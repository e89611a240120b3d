import { median } from "../median";
import type { Pulse } from "./decode";
import { BLM_COUNT, CHANNELS, DT_MS, INTENSITY_ROW, SAMPLES, sampleAt } from "./layout";

/** What one pulse says about the beam. Voltages are raw (R5IM is negative-going). */
export interface PulseAnalysis {
  /** The intensity monitor's peak (its most negative finite value), in volts, e.g. −3.15; NaN if it has no finite sample. */
  readonly intensityPeakV: number;
  /** When the intensity peaked, in ms. */
  readonly intensityPeakMs: number;
  /** Fraction of the peak intensity still there just before extraction (9.5–9.9 ms), e.g. 0.93. */
  readonly survival: number;
  /** Loss integral of each BLM (rows 0–38) above its own baseline, in V·ms; NaN for dead channels. */
  readonly lossIntegralVms: readonly number[];
  /** Peak of each BLM above its own baseline, in volts; NaN for dead channels. */
  readonly lossPeakV: readonly number[];
  /** Name of the live BLM with the largest loss integral, e.g. "R1BLM3". */
  readonly hottestBlm: string;
  /** That monitor's loss integral, in V·ms. */
  readonly hottestBlmIntegralVms: number;
  /** Names of channels that show no signal at all (stuck or saturated); left out of the results above. */
  readonly deadChannels: readonly string[];
  /**
   * Samples that were NaN or ±Infinity. They mean "no reading": every result above skips them (a loss integral
   * sums the finite samples only), and a channel made only of them counts as dead.
   */
  readonly nonFiniteSamples: number;
}

/** Windows used by ISIS staff, in ms. */
const BASELINE = [-0.5, -0.38] as const; // before injection starts
const LOSS = [-0.37, 9.9] as const; // injection to just before extraction; the extraction spikes are pickup, not loss
const BEFORE_EXTRACTION = [9.5, 9.9] as const;
/** A channel whose samples all lie within this many volts of each other is stuck. */
const STUCK_SPREAD_V = 1e-6;
/** Beyond this a monitor's ADC is saturated (its range is ±5 V). */
const SATURATED_V = 4.99;

/**
 * Analyses one pulse: intensity peak, survival, loss per BLM and the hottest BLM.
 * Dead channels (e.g. R0BLM1, stuck at −4.9994 V) are recognised and left out.
 * @example
 * const a = analysePulse(decodePulse(payload));
 * console.log(`${a.hottestBlm} lost ${a.hottestBlmIntegralVms.toFixed(3)} V·ms, ${(a.survival * 100).toFixed(1)} % survived`);
 */
export function analysePulse(pulse: Pulse): PulseAnalysis {
  let nonFiniteSamples = 0;
  const stats = CHANNELS.map((_, row) => {
    const s = channelStats(pulse.row(row));
    nonFiniteSamples += s.nonFinite;
    return s;
  });

  const intensity = pulse.row(INTENSITY_ROW);
  const iStats = stats[INTENSITY_ROW]!;
  // The most negative finite sample; NaN (and no time) if the monitor gave no finite sample at all.
  let peakIndex = -1;
  for (let i = 0; i < SAMPLES; i++) {
    const v = intensity[i]!;
    if (Number.isFinite(v) && (peakIndex < 0 || v < intensity[peakIndex]!)) peakIndex = i;
  }
  const peak = peakIndex < 0 ? NaN : intensity[peakIndex]!;
  const beforeExtraction = mean(intensity, ...BEFORE_EXTRACTION);
  const height = peak - iStats.baseline;
  const survival = height < 0 ? (beforeExtraction - iStats.baseline) / height : NaN;

  const deadChannels = CHANNELS.filter((_, row) => stats[row]!.dead);
  const lossIntegralVms: number[] = [];
  const lossPeakV: number[] = [];
  let hottest = -1;
  for (let row = 0; row < BLM_COUNT; row++) {
    const s = stats[row]!;
    const integral = s.dead ? NaN : integrate(pulse.row(row), s.baseline);
    lossIntegralVms.push(integral);
    lossPeakV.push(s.dead ? NaN : s.max - s.baseline);
    if (!s.dead && (hottest < 0 || integral > lossIntegralVms[hottest]!)) hottest = row;
  }
  return {
    intensityPeakV: peak,
    intensityPeakMs: peakIndex < 0 ? NaN : pulse.timeMs[peakIndex]!,
    survival,
    lossIntegralVms,
    lossPeakV,
    hottestBlm: hottest < 0 ? "none" : CHANNELS[hottest]!,
    hottestBlmIntegralVms: hottest < 0 ? NaN : lossIntegralVms[hottest]!,
    deadChannels,
    nonFiniteSamples,
  };
}

interface ChannelStats {
  baseline: number;
  max: number;
  dead: boolean;
  nonFinite: number;
}

function channelStats(row: Float64Array): ChannelStats {
  let min = Infinity;
  let max = -Infinity;
  let nonFinite = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i]!; // an indexed loop: for…of over a typed array is ~2× slower on this hot path
    if (!Number.isFinite(v)) nonFinite++;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const stuck = max - min < STUCK_SPREAD_V;
  const saturated = min <= -SATURATED_V || max >= SATURATED_V ? median(row) : 0;
  const dead = nonFinite === row.length || stuck || Math.abs(saturated) >= SATURATED_V;
  // The median: robust against a spike in the baseline window; one with no finite sample falls back to the whole row's.
  const window = median(row.subarray(sampleAt(BASELINE[0]), sampleAt(BASELINE[1]) + 1));
  return { baseline: Number.isNaN(window) ? median(row) : window, max, dead, nonFinite };
}

/** Mean of the finite samples of a row between two times in ms. */
function mean(row: Float64Array, fromMs: number, toMs: number): number {
  let sum = 0;
  let n = 0;
  for (let i = sampleAt(fromMs), end = sampleAt(toMs); i <= end; i++) {
    const v = row[i]!;
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

/** Integral of (signal − baseline) over the loss window, in V·ms, skipping non-finite samples. */
function integrate(row: Float64Array, baseline: number): number {
  let sum = 0;
  for (let i = sampleAt(LOSS[0]), end = sampleAt(LOSS[1]); i <= end; i++) {
    const v = row[i]!;
    if (Number.isFinite(v)) sum += v - baseline;
  }
  return sum * DT_MS;
}
