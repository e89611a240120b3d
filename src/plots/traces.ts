import { extent as d3Extent } from "d3-array";
import type { PulseAnalysis } from "../beam/analysis";
import type { Pulse } from "../beam/decode";
import { BLM_COUNT, CHANNELS, INTENSITY_ROW, superperiodOf } from "../beam/layout";
import { decimateMinMax } from "./decimate";

/** One channel of a pulse, thinned for drawing. */
export interface Trace {
  /** Channel name, e.g. "R1BLM3" or "R5IM". */
  readonly name: string;
  readonly row: number;
  /** Superperiod 0–9. */
  readonly superperiod: number;
  /** Whether the analysis found the channel dead (stuck or saturated). */
  readonly dead: boolean;
  readonly times: Float64Array;
  /** Volts; for the intensity, negated (more beam is up). */
  readonly values: Float64Array;
}

/** All 39 BLM traces (rows 0–38, BLM 0 included) and the negated intensity, each min/max-decimated. */
export interface PulseTraces {
  readonly blms: readonly Trace[];
  readonly intensity: Trace;
}

/**
 * Default buckets for a figure about 1000 px wide (≈ 870 px of plot): one bucket per ≈ 3 px, each drawn as
 * its min and max, so every peak keeps its height. Drawing cost grows with points (400 buckets: ≈ 30 % slower).
 */
export const DEFAULT_BUCKETS = 300;

/** Thins every channel of a pulse for drawing; dead channels are taken from the analysis. */
export function pulseTraces(pulse: Pulse, analysis: Pick<PulseAnalysis, "deadChannels">, buckets = DEFAULT_BUCKETS): PulseTraces {
  const dead = new Set(analysis.deadChannels);
  const blms: Trace[] = [];
  for (let row = 0; row < BLM_COUNT; row++) {
    const name = CHANNELS[row]!;
    const { times, values } = decimateMinMax(pulse.timeMs, pulse.row(row), buckets);
    blms.push({ name, row, superperiod: superperiodOf(row), dead: dead.has(name), times, values });
  }
  const { times, values } = decimateMinMax(pulse.timeMs, pulse.intensity(), buckets);
  const intensity = {
    name: CHANNELS[INTENSITY_ROW]!,
    row: INTENSITY_ROW,
    superperiod: 5,
    dead: dead.has(CHANNELS[INTENSITY_ROW]!),
    times,
    values,
  };
  return { blms, intensity };
}

/** Smallest and largest finite value over some traces, or undefined if there is none. */
export function extent(traces: readonly Trace[]): [number, number] | undefined {
  const ends = traces.flatMap((t) => d3Extent(t.values).filter((v): v is number => v !== undefined));
  const [lo, hi] = d3Extent(ends);
  return lo === undefined || hi === undefined ? undefined : [lo, hi];
}

/** An extent padded by a fraction of its size on both sides (and widened if it is flat). */
export function padded([lo, hi]: [number, number], fraction = 0.05): [number, number] {
  const pad = hi > lo ? (hi - lo) * fraction : Math.max(Math.abs(hi) * 0.1, 0.01);
  return [lo - pad, hi + pad];
}
