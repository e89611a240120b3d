import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { pulseFromSamples } from "../../src/beam/decode";
import { channelGrid, formatBytes, hexDump, messageLine, previewNumbers, pulseLine, pulseTable, sparkline } from "../../src/lessons/format";
import { withCommas } from "../../src/text";
import { ROWS, SAMPLES, sampleAt } from "../../src/beam/layout";

/** A quiet pulse with an intensity step (negative-going) and a loss bump on R1BLM3 at 2 ms. */
function demoPulse() {
  const data = new Float64Array(ROWS * SAMPLES);
  const intensity = 39 * SAMPLES;
  for (let i = sampleAt(0); i < sampleAt(9.95); i++) data[intensity + i] = -3;
  for (let i = sampleAt(1.9); i <= sampleAt(2.1); i++) data[5 * SAMPLES + i] = 0.2;
  for (let r = 0; r < ROWS; r++) data[r * SAMPLES] = r === 0 ? 0 : 0.0001 * r; // tiny differences: no channel is stuck
  return pulseFromSamples(data);
}

describe("format", () => {
  test("numbers and sizes get thousands separators", () => {
    assert.equal(withCommas(704000), "704,000");
    assert.equal(withCommas(-1234567.5), "-1,234,567.5");
    assert.equal(withCommas(12), "12");
    assert.equal(formatBytes(704000), "704,000 bytes");
    assert.equal(formatBytes(1), "1 byte");
  });

  test("messageLine gives number, time, topic and size on one line", () => {
    const line = messageLine({
      seq: 3,
      topic: "a/b",
      payload: new Uint8Array(704000),
      receivedAt: new Date(2024, 0, 1, 14, 2, 3, 512).getTime(),
    });
    assert.equal(line, "#3  14:02:03.512  a/b  704,000 bytes");
  });

  test("hexDump shows 8 bytes a line with positions, and how many are left", () => {
    const bytes = new Uint8Array(new Float64Array([1, -2, 0.5]).buffer);
    assert.equal(
      hexDump(bytes, { count: 16 }),
      "bytes  0–7 : 00 00 00 00 00 00 f0 3f\nbytes  8–15: 00 00 00 00 00 00 00 c0\n… 8 more bytes",
    );
    assert.equal(hexDump(bytes, { count: 100 }).split("\n").length, 3);
    assert.throws(() => hexDump(bytes, { count: -1 }), /invalid count/);
  });

  test("previewNumbers shows the ends of a long list, like numpy", () => {
    const values = Float64Array.from({ length: 2200 }, (_, i) => i / 1000);
    assert.equal(previewNumbers(values), "[0.0000, 0.0010, 0.0020, …, 2.1970, 2.1980, 2.1990]  (2,200 numbers)");
    assert.equal(previewNumbers([1, 2], { digits: 1 }), "[1.0, 2.0]  (2 numbers)");
    assert.equal(previewNumbers([NaN]), "[NaN]  (1 number)");
  });

  test("pulseTable shows the first and last rows by name, never all 88,000 numbers", () => {
    const table = pulseTable(demoPulse());
    const lines = table.split("\n");
    assert.equal(lines[0], "40 rows × 2,200 samples (volts)");
    assert.match(lines[1]!, /^row  0  R0BLM1  \[0\.0000, 0\.0000, 0\.0000, …/);
    assert.match(table, /… {2}\(34 more rows\)/);
    assert.match(lines.at(-1)!, /^row 39  R5IM    \[/);
    assert.ok(table.length < 1500);
    assert.equal(pulseTable(demoPulse(), { rows: [5] }).split("\n").length, 2);
  });

  test("channelGrid places every row by superperiod, with R0 missing BLM2", () => {
    const grid = channelGrid();
    assert.match(grid, /R0 +0 R0BLM1 +\(none\) +1 R0BLM3 +2 R0BLM4/);
    assert.match(grid, /R4 +15 R4BLM1 +16 R4BLM2 +17 R4BLM3 +18 R4BLM4/);
    assert.match(grid, /intensity +39 R5IM/);
  });

  test("sparkline draws low to high and gives the range", () => {
    assert.equal(sparkline([0, 1, 2, 3, 4, 5, 6, 7], { width: 8 }), "▁▂▃▄▅▆▇█  from 0.00 to 7.00");
    assert.equal(sparkline([1, 1, 1]), "▁▁▁  from 1.00 to 1.00");
    assert.equal(sparkline([]), "(no values)");
    const line = sparkline(demoPulse().intensity(), { width: 22 });
    assert.match(line, /^▁+█+▇?▁+  from 0\.00 to 3\.00$/);
  });

  test("pulseLine summarises the beam in one line", () => {
    const line = pulseLine(demoPulse());
    assert.match(line, /^intensity peak 3\.00 V at 0\.00 ms · 100\.0 % survived · most loss: R1BLM3 \(0\.\d{3} V·ms\)$/);
  });
});
