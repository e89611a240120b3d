/**
 * Decoding cost per pulse in TypeScript, in a process of its own. Counterpart: python/decode.py.
 *   --pulse FILE      one 704,000-byte message
 *   --iterations N    per batch (copies do N / 100, the analysis N / 1000)
 *   --batches B
 * Prints {"event":"result", ns: {op: [ns per operation, one per batch]}, check}.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Pulse } from "../../src/beam/decode";
import { emit } from "../lib/child-io";
import { lm } from "../lib/module";

const { analysePulse, decodePulse, PULSE_BYTES } = lm;

const { values } = parseArgs({
  options: { pulse: { type: "string" }, iterations: { type: "string", default: "200000" }, batches: { type: "string", default: "7" } },
});
const iterations = Number(values.iterations);
const batches = Number(values.batches);

const bytes = readFileSync(values.pulse!);
if (bytes.byteLength !== PULSE_BYTES) throw new Error(`${values.pulse}: ${bytes.byteLength} bytes, expected ${PULSE_BYTES}`);
// As mqtt.js hands a large payload over: a Buffer of its own, at offset 0 (8-aligned).
const aligned = Buffer.alloc(PULSE_BYTES);
aligned.set(bytes);
const unalignedBuffer = Buffer.alloc(PULSE_BYTES + 1).subarray(1);
unalignedBuffer.set(bytes);
// A Buffer that is not 8-aligned is what decodePulse's copy path is for; if it cannot take one, say so and
// time the copy path with a plain Uint8Array over the same bytes.
let unalignedBufferError: string | undefined;
try {
  decodePulse(unalignedBuffer);
} catch (error) {
  unalignedBufferError = String(error);
}
const unaligned = new Uint8Array(unalignedBuffer.buffer, unalignedBuffer.byteOffset, unalignedBuffer.byteLength);
const target = Buffer.alloc(PULSE_BYTES);

let keep: unknown;
const ops: Record<string, { n: number; run: () => void }> = {
  // bytes → 40 × 2200 float64 view
  decode: {
    n: iterations,
    run: () => {
      keep = decodePulse(aligned);
    },
  },
  // the same on a payload that is not 8-aligned: decodePulse has to copy
  decodeUnaligned: {
    n: Math.max(1, Math.round(iterations / 100)),
    run: () => {
      keep = decodePulse(unaligned);
    },
  },
  // the per-pulse analysis every subscriber runs (for scale: what decoding is part of)
  analyse: {
    n: Math.max(1, Math.round(iterations / 1000)),
    run: () => {
      keep = analysePulse(decodePulse(aligned));
    },
  },
  // one memcpy of 704 KB into a buffer that exists
  copyInto: {
    n: Math.max(1, Math.round(iterations / 100)),
    run: () => {
      aligned.copy(target);
    },
  },
  // a new 704 KB buffer and the memcpy
  copyNew: {
    n: Math.max(1, Math.round(iterations / 100)),
    run: () => {
      keep = Uint8Array.prototype.slice.call(aligned);
    },
  },
};

const ns: Record<string, number[]> = {};
for (const [name, op] of Object.entries(ops)) {
  for (let i = 0; i < Math.min(op.n, 1000); i++) op.run(); // warm up (JIT)
  ns[name] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < op.n; i++) op.run();
    ns[name]!.push(Number(process.hrtime.bigint() - t0) / op.n);
  }
}
const pulse = decodePulse(aligned);
const check: Pulse = pulse;
emit("result", {
  ns,
  copied: pulse.copied,
  unalignedCopied: decodePulse(unaligned).copied,
  unalignedBufferError,
  shape: check.shape,
  sample: check.row(5)[420],
  kept: keep !== undefined,
});
