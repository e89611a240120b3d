/**
 * src/beam/: the ISIS pulse as data — its layout (this file), decoding, analysis, and the simulated machine
 * (simulator.ts, with its numbers in scenarios.ts, their arrays in pulse-shape.ts, random.ts). Computation only,
 * no I/O: it may import only the top-level cross-cutting files.
 *
 * The shape of one ISIS live-signals message: 40 channels × 2200 samples of float64,
 * little-endian, row-major — exactly numpy's `tobytes()` of a (40, 2200) float64 array.
 */

/** Channels (rows) in one pulse: 39 beam-loss monitors and the intensity monitor. */
export const ROWS = 40;
/** Samples per channel, evenly spaced from {@link T_START_MS} to {@link T_END_MS}. */
export const SAMPLES = 2200;
/** Bytes per sample (IEEE-754 float64). */
export const BYTES_PER_SAMPLE = 8;
/** Bytes in one message: 40 × 2200 × 8 = 704,000. */
export const PULSE_BYTES = ROWS * SAMPLES * BYTES_PER_SAMPLE;
/** Time of the first sample, in milliseconds (0 ms is the magnet field minimum, at injection). */
export const T_START_MS = -0.5;
/** Time of the last sample, in milliseconds (extraction is near 10 ms). */
export const T_END_MS = 10.5;
/** Milliseconds between two samples (≈ 5.002 µs). */
export const DT_MS = (T_END_MS - T_START_MS) / (SAMPLES - 1);
/** Number of beam-loss monitors: rows 0–38. */
export const BLM_COUNT = 39;
/** Row of the beam intensity monitor R5IM. Its signal is negative-going: plot it negated. */
export const INTENSITY_ROW = 39;

function channelNames(): readonly string[] {
  const names = ["R0BLM1", "R0BLM3", "R0BLM4"]; // superperiod 0 has no BLM2
  for (let sp = 1; sp <= 9; sp++) for (let blm = 1; blm <= 4; blm++) names.push(`R${sp}BLM${blm}`);
  names.push("R5IM");
  return Object.freeze(names);
}

/**
 * The name of each row, in order: R0BLM1, R0BLM3, R0BLM4, R1BLM1 … R9BLM4 (rows 0–38), R5IM (row 39).
 * @example CHANNELS[5] // "R1BLM3", the monitor that usually sees the most loss
 */
export const CHANNELS: readonly string[] = channelNames();

/** The superperiod (0–9) a row's monitor sits in. */
export function superperiodOf(row: number): number {
  const name = CHANNELS[row];
  if (name === undefined) throw new RangeError(`invalid row: ${row} (expected 0–${ROWS - 1})`);
  return Number(name[1]);
}

/** The row of a channel by name, e.g. rowOf("R5IM") === 39. Throws on an unknown name. */
export function rowOf(name: string): number {
  const row = CHANNELS.indexOf(name);
  if (row < 0) throw new RangeError(`unknown channel: ${name} (expected one of R0BLM1 … R9BLM4, R5IM)`);
  return row;
}

let axis: Float64Array | undefined;

/**
 * The time of every sample in milliseconds: 2200 values from −0.5 to 10.5 inclusive.
 * The same array is returned on every call; do not write into it.
 */
export function timeAxisMs(): Float64Array {
  if (!axis) {
    axis = new Float64Array(SAMPLES);
    for (let i = 0; i < SAMPLES; i++) axis[i] = T_START_MS + i * DT_MS;
    axis[SAMPLES - 1] = T_END_MS; // exact end point, like numpy.linspace
  }
  return axis;
}

/**
 * The number of the sample nearest to a time in ms.
 * @throws RangeError for a time outside the pulse (−0.5 ms to 10.5 ms): there is no sample at 20 ms.
 * @example pulse.channel("R1BLM3")[sampleAt(2)] // R1BLM3's reading at 2 ms
 */
export function sampleAt(timeMs: number): number {
  const i = Math.round((timeMs - T_START_MS) / DT_MS);
  if (!(i >= 0 && i < SAMPLES)) {
    throw new RangeError(`no sample at ${String(timeMs)} ms: a pulse is measured from ${T_START_MS} ms to ${T_END_MS} ms`);
  }
  return i;
}
