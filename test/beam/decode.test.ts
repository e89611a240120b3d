import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PayloadError } from "../../src/errors";
import { decodePulse, encodePulse, pulseFromSamples } from "../../src/beam/decode";
import { CHANNELS, PULSE_BYTES, ROWS, SAMPLES, T_END_MS, T_START_MS, timeAxisMs } from "../../src/beam/layout";

/** A pulse whose every sample says where it is: row r, sample i holds r * 10000 + i. */
function labelledSamples(): Float64Array {
  const data = new Float64Array(ROWS * SAMPLES);
  for (let r = 0; r < ROWS; r++) for (let i = 0; i < SAMPLES; i++) data[r * SAMPLES + i] = r * 10000 + i;
  return data;
}

/** The same bytes placed `offset` bytes into a larger buffer. */
function bytesAt(offset: number, bytes: Uint8Array): Uint8Array {
  const buffer = new Uint8Array(bytes.byteLength + offset);
  buffer.set(bytes, offset);
  return buffer.subarray(offset);
}

describe("decodePulse", () => {
  const bytes = encodePulse(labelledSamples());

  test("reads 40 rows × 2200 samples in row-major order", () => {
    const pulse = decodePulse(bytes);
    assert.deepEqual(pulse.shape, [40, 2200]);
    assert.equal(pulse.row(0)[0], 0);
    assert.equal(pulse.row(7)[123], 70123);
    assert.equal(pulse.row(39)[2199], 392199);
    assert.equal(pulse.channel("R5IM")[5], 390005);
    assert.equal(pulse.channel("R1BLM3")[0], 50000);
  });

  test("is zero-copy when the bytes are 8-byte aligned", () => {
    const aligned = bytesAt(16, bytes);
    const pulse = decodePulse(aligned);
    assert.equal(pulse.copied, false);
    assert.equal(pulse.data.buffer, aligned.buffer);
    aligned[15] = 0; // the top byte of sample 1 (1.0): the view sees the change
    assert.notEqual(pulse.data[1], 1);
  });

  for (const offset of [1, 3, 4, 7]) {
    test(`copies, and reads the same numbers, when the bytes start ${offset} byte(s) off alignment`, () => {
      const pulse = decodePulse(bytesAt(offset, bytes));
      assert.equal(pulse.copied, true);
      assert.deepEqual(pulse.data, labelledSamples());
    });
  }

  test("copies an unaligned Node Buffer too (Buffer#slice is a view, not a copy)", () => {
    const pool = Buffer.alloc(bytes.byteLength + 3);
    pool.set(bytes, 3);
    const pulse = decodePulse(pool.subarray(3));
    assert.equal(pulse.copied, true);
    assert.deepEqual(pulse.data, labelledSamples());
  });

  test("reads little-endian float64 exactly as written by a DataView", () => {
    const view = new DataView(new ArrayBuffer(PULSE_BYTES));
    view.setFloat64(8 * 2200 * 39, -3.1415926, true); // R5IM, first sample
    view.setFloat64(8, 1e-300, true);
    const pulse = decodePulse(new Uint8Array(view.buffer));
    assert.equal(pulse.channel("R5IM")[0], -3.1415926);
    assert.equal(pulse.row(0)[1], 1e-300);
  });

  test("negates the intensity without touching the raw row", () => {
    const pulse = decodePulse(bytes);
    assert.equal(pulse.intensity()[1], -390001);
    assert.equal(pulse.row(39)[1], 390001);
  });

  const wrongSizes: Array<[string, number, RegExp]> = [
    ["empty", 0, /empty message: 0 bytes, expected 704000 bytes/],
    ["short", 8000, /too short: 8000 bytes, expected 704000/],
    ["one byte short", PULSE_BYTES - 1, /too short: 703999 bytes, not a whole number of float64 values/],
    ["one byte over", PULSE_BYTES + 1, /too long: 704001 bytes, not a whole number of float64 values/],
    ["one sample over", PULSE_BYTES + 8, /too long: 704008 bytes, expected/],
    ["not a multiple of 8", 1234, /too short: 1234 bytes, not a whole number of float64 values/],
  ];
  for (const [what, size, message] of wrongSizes) {
    test(`rejects a ${what} message with what arrived and what was expected`, () => {
      assert.throws(
        () => decodePulse(new Uint8Array(size)),
        (error: unknown) => error instanceof PayloadError && message.test(error.message) && error.bytes === size,
      );
    });
  }

  test("rejects a bad row index and an unknown channel name clearly", () => {
    const pulse = decodePulse(bytes);
    assert.throws(() => pulse.row(40), /invalid row: 40 \(expected 0–39\)/);
    assert.throws(() => pulse.channel("R0BLM2"), /unknown channel: R0BLM2/);
  });
});

describe("encodePulse", () => {
  test("round-trips samples exactly, including NaN and infinities", () => {
    const data = labelledSamples();
    data[10] = NaN;
    data[11] = -Infinity;
    data[12] = -0;
    const again = decodePulse(encodePulse(pulseFromSamples(data))).data;
    assert.ok(Number.isNaN(again[10]));
    assert.equal(again[11], -Infinity);
    assert.ok(Object.is(again[12], -0));
    assert.deepEqual(again.subarray(13), data.subarray(13));
  });
});

describe("layout", () => {
  test("names 39 beam-loss monitors and the intensity monitor", () => {
    assert.equal(CHANNELS.length, 40);
    assert.deepEqual(CHANNELS.slice(0, 5), ["R0BLM1", "R0BLM3", "R0BLM4", "R1BLM1", "R1BLM2"]);
    assert.equal(CHANNELS[5], "R1BLM3");
    assert.equal(CHANNELS[38], "R9BLM4");
    assert.equal(CHANNELS[39], "R5IM");
    assert.equal(new Set(CHANNELS).size, 40);
  });

  test("spaces 2200 sample times evenly from −0.5 ms to 10.5 ms", () => {
    const t = timeAxisMs();
    assert.equal(t.length, 2200);
    assert.equal(t[0], T_START_MS);
    assert.equal(t[2199], T_END_MS);
    assert.ok(Math.abs(t[1]! - t[0]! - 11 / 2199) < 1e-12);
    const zero = t.findIndex((v) => v >= 0);
    assert.ok(Math.abs(t[zero]!) < 0.006, "a sample falls within one step of t = 0");
  });
});
