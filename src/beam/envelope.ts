/**
 * The pulse envelope: a pulse made a hundred times smaller for a room on Wi-Fi. Each of the 40 rows is cut into
 * equal buckets of samples (default 22 buckets of 100 samples, 0.5 ms each), and each bucket keeps its smallest and
 * largest value, in the order they occur, as float32: 40 × 22 × 2 × 4 = 7,040 bytes instead of 704,000. Peaks keep
 * their height (a min/max keeps every spike), only their shape within half a millisecond is lost. Like the raw pulse
 * it is plain numbers, little-endian, row after row: [row 0: a₀, b₀, a₁, b₁ …], [row 1: …] …, where a and b are the
 * bucket's extremes, earlier first — a Float32Array reads it.
 */
import { PayloadError } from "../errors";
import { pulseFromSamples, type Pulse } from "./decode";
import { ROWS, SAMPLES } from "./layout";

/** Buckets per row unless asked otherwise: 100 samples (0.5 ms) each. */
const ENVELOPE_BUCKETS = 22;
const BYTES_PER_VALUE = 4;

/** A decoded envelope: for each row and bucket, the smallest and largest sample. */
export interface Envelope {
  /** Buckets per row. */
  readonly buckets: number;
  /** All values, row after row, the two extremes of each bucket in the order they occur (40 × buckets × 2). */
  readonly values: Float32Array;
  /** The smallest sample of each bucket of a row. */
  min(row: number): Float32Array;
  /** The largest sample of each bucket of a row. */
  max(row: number): Float32Array;
}

/** The size in bytes of an envelope with this many buckets per row: 7,040 for the default 22. */
export function envelopeBytes(buckets = ENVELOPE_BUCKETS): number {
  return ROWS * buckets * 2 * BYTES_PER_VALUE;
}

/** Whether `buckets` cuts a row of 2200 samples into equal whole buckets. */
function validBuckets(buckets: number): boolean {
  return Number.isInteger(buckets) && buckets >= 1 && buckets <= SAMPLES / 2 && SAMPLES % buckets === 0;
}

/**
 * The envelope of a pulse, as message bytes.
 * @throws RangeError when `buckets` does not divide 2200 samples into equal buckets of at least 2.
 * @example client.publish("ac_phys/workxp/envelope", encodeEnvelope(pulse)); // 7,040 bytes
 */
export function encodeEnvelope(pulse: Pulse, buckets = ENVELOPE_BUCKETS): Uint8Array {
  if (!validBuckets(buckets))
    throw new RangeError(`invalid buckets: ${buckets} (expected a divisor of ${SAMPLES}, at most ${SAMPLES / 2})`);
  const out = new Float32Array(ROWS * buckets * 2);
  const width = SAMPLES / buckets;
  for (let r = 0; r < ROWS; r++) {
    const row = pulse.row(r);
    for (let b = 0; b < buckets; b++) {
      let lo = -1; // indices of the smallest and largest finite samples of the bucket
      let hi = -1;
      for (let i = b * width; i < (b + 1) * width; i++) {
        const v = row[i]!;
        if (!Number.isFinite(v)) continue;
        if (lo < 0 || v < row[lo]!) lo = i;
        if (hi < 0 || v > row[hi]!) hi = i;
      }
      const k = (r * buckets + b) * 2;
      // In time order, so that a drawn envelope rises and falls where the pulse did; a bucket with no reading is NaN.
      out[k] = lo < 0 ? NaN : row[Math.min(lo, hi)]!;
      out[k + 1] = lo < 0 ? NaN : row[Math.max(lo, hi)]!;
    }
  }
  return new Uint8Array(out.buffer);
}

/** Whether a message of this size can be an envelope (40 rows × a divisor of 2200 buckets × 2 float32). */
export function isEnvelopeSize(bytes: number): boolean {
  const perRow = bytes / (ROWS * 2 * BYTES_PER_VALUE);
  return validBuckets(perRow);
}

/**
 * Reads an envelope message.
 * @throws PayloadError when its size is not that of an envelope.
 * @example decodeEnvelope(message.payload).max(39) // the intensity's largest value in each 0.5 ms
 */
export function decodeEnvelope(payload: Uint8Array): Envelope {
  if (!isEnvelopeSize(payload.byteLength)) {
    throw new PayloadError(
      `not a pulse envelope: ${payload.byteLength} bytes (an envelope is ${ROWS} rows × buckets × 2 float32, e.g. ${envelopeBytes()} bytes)`,
      payload.byteLength,
    );
  }
  const buckets = payload.byteLength / (ROWS * 2 * BYTES_PER_VALUE);
  // Copy into an aligned array of our own (a received payload may start anywhere in a larger buffer).
  const values = new Float32Array(Uint8Array.prototype.slice.call(payload).buffer);
  const pick = (row: number, which: 0 | 1) => {
    if (!(Number.isInteger(row) && row >= 0 && row < ROWS)) throw new RangeError(`invalid row: ${row} (expected 0–${ROWS - 1})`);
    const out = new Float32Array(buckets);
    for (let b = 0; b < buckets; b++) {
      const [x, y] = [values[(row * buckets + b) * 2]!, values[(row * buckets + b) * 2 + 1]!];
      out[b] = which === 0 ? Math.min(x, y) : Math.max(x, y);
    }
    return out;
  };
  return { buckets, values, min: (row) => pick(row, 0), max: (row) => pick(row, 1) };
}

/**
 * An envelope drawn out as a whole pulse, so that every figure, the live view and analysePulse take it as they take
 * a raw one: the first half of each bucket's samples take its earlier extreme, the second half the later one. A plot
 * then shows the same rises and peaks. analysePulse's results are only a sketch: on the simulator's and the two
 * recorded pulses (test/beam/envelope.test.ts) the hottest BLM and the intensity peak are the same, the hottest BLM's
 * loss integral 13–30 % high, and survival wrong on a good pulse (0.61 for 0.93: extraction falls inside the bucket
 * of 9.5–10 ms). For numbers at 50 Hz, read the summary topic; the envelope is for drawing.
 * @throws PayloadError for message bytes that are not an envelope.
 * @example pulsePlot(envelopePulse(message.payload)) // a message from ac_phys/workxp/envelope
 */
export function envelopePulse(envelope: Envelope | Uint8Array): Pulse {
  const { buckets, values } = envelope instanceof Uint8Array ? decodeEnvelope(envelope) : envelope;
  const width = SAMPLES / buckets;
  const data = new Float64Array(ROWS * SAMPLES);
  for (let r = 0; r < ROWS; r++) {
    for (let b = 0; b < buckets; b++) {
      const k = (r * buckets + b) * 2;
      const start = r * SAMPLES + b * width;
      for (let i = 0; i < width; i++) data[start + i] = values[k + (i < width / 2 ? 0 : 1)]!;
    }
  }
  return pulseFromSamples(data);
}
