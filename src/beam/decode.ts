import { PayloadError } from "../errors";
import { BYTES_PER_SAMPLE, INTENSITY_ROW, PULSE_BYTES, ROWS, SAMPLES, rowOf, timeAxisMs } from "./layout";

/** One decoded pulse: 40 rows × 2200 samples in volts, viewed over the message's bytes. */
export interface Pulse {
  /** All 88,000 samples, row after row (row-major, like numpy). */
  readonly data: Float64Array;
  /** Rows (40) and samples per row (2200). */
  readonly shape: readonly [number, number];
  /** One row as a view (no copy): rows 0–38 are BLMs, row 39 is the intensity R5IM. */
  row(index: number): Float64Array;
  /** One row by channel name, e.g. pulse.channel("R1BLM3"). */
  channel(name: string): Float64Array;
  /** The intensity monitor R5IM, negated so that more beam is up. A new array. */
  intensity(): Float64Array;
  /** Sample times in ms, −0.5 … 10.5 (shared, do not modify). */
  readonly timeMs: Float64Array;
  /** Whether decoding had to copy the bytes (only when the buffer was not 8-byte aligned). */
  readonly copied: boolean;
}

const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Checks that a message is exactly one pulse, and says what is wrong if not.
 * @throws PayloadError for an empty, short, long or ragged message.
 */
export function checkPayloadSize(bytes: number): void {
  if (bytes === PULSE_BYTES) return;
  const expected = `expected ${PULSE_BYTES} bytes (${ROWS} × ${SAMPLES} float64)`;
  if (bytes === 0) throw new PayloadError(`empty message: 0 bytes, ${expected}`, bytes);
  const ragged = bytes % BYTES_PER_SAMPLE !== 0 ? `, not a whole number of float64 values` : "";
  const what = bytes < PULSE_BYTES ? "message too short" : "message too long";
  throw new PayloadError(`${what}: ${bytes} bytes${ragged}, ${expected}`, bytes);
}

/**
 * Decodes one message into a pulse: bytes → float64 → 40 rows × 2200 samples.
 * Zero-copy when the bytes start on an 8-byte boundary (mqtt.js aligns large payloads); copies otherwise.
 * @throws PayloadError when the message is not exactly 704,000 bytes.
 * @example
 * const pulse = decodePulse(message.payload);
 * pulse.channel("R1BLM3")[420]; // volts at t ≈ 1.6 ms
 */
export function decodePulse(payload: Uint8Array): Pulse {
  try {
    checkPayloadSize(payload.byteLength);
  } catch (error) {
    const text = textOf(payload);
    if (text === undefined || !(error instanceof PayloadError)) throw error;
    throw new PayloadError(`${error.message}; it looks like text: ${JSON.stringify(text)}`, error.bytes);
  }
  if (!isLittleEndian) return makePulse(readLittleEndian(payload), true);
  const aligned = payload.byteOffset % BYTES_PER_SAMPLE === 0;
  const data = aligned
    ? new Float64Array(payload.buffer, payload.byteOffset, ROWS * SAMPLES)
    : new Float64Array(Uint8Array.prototype.slice.call(payload).buffer); // a fresh, aligned copy (Buffer#slice would not copy)
  return makePulse(data, !aligned);
}

/**
 * Wraps 88,000 samples (row-major) as a pulse, e.g. the simulator's output.
 * @throws PayloadError when the array has the wrong length.
 */
export function pulseFromSamples(data: Float64Array): Pulse {
  checkPayloadSize(data.byteLength);
  return makePulse(data, false);
}

/** The message bytes of a pulse: 704,000 bytes, little-endian, identical to numpy's `tobytes()`. */
export function encodePulse(pulse: Pulse | Float64Array): Uint8Array {
  const data = pulse instanceof Float64Array ? pulse : pulse.data;
  checkPayloadSize(data.byteLength);
  if (isLittleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const out = new DataView(new ArrayBuffer(PULSE_BYTES));
  data.forEach((v, i) => out.setFloat64(i * BYTES_PER_SAMPLE, v, true));
  return new Uint8Array(out.buffer);
}

/**
 * How many samples are NaN or ±Infinity. The feed's pulses have none; a pulse that has some is still a pulse
 * (analysePulse skips those samples and counts them), but worth flagging.
 * @example countNonFinite(pulse.data) // 0
 */
export function countNonFinite(samples: Float64Array | Pulse): number {
  const data = samples instanceof Float64Array ? samples : samples.data;
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i]!)) n++;
  return n;
}

/** The start of a short message that is printable UTF-8 text (e.g. a status message on the wrong topic), else undefined. */
function textOf(payload: Uint8Array): string | undefined {
  if (payload.byteLength === 0 || payload.byteLength > 4096) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    return undefined;
  }
  if (/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text)) return undefined;
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function readLittleEndian(payload: Uint8Array): Float64Array {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const data = new Float64Array(ROWS * SAMPLES);
  for (let i = 0; i < data.length; i++) data[i] = view.getFloat64(i * BYTES_PER_SAMPLE, true);
  return data;
}

function makePulse(data: Float64Array, copied: boolean): Pulse {
  const row = (index: number): Float64Array => {
    if (!Number.isInteger(index) || index < 0 || index >= ROWS) {
      throw new RangeError(`invalid row: ${index} (expected 0–${ROWS - 1})`);
    }
    return data.subarray(index * SAMPLES, (index + 1) * SAMPLES);
  };
  return {
    data,
    shape: [ROWS, SAMPLES],
    row,
    channel: (name) => row(rowOf(name)),
    intensity: () => row(INTENSITY_ROW).map((v) => -v),
    timeMs: timeAxisMs(),
    copied,
  };
}
