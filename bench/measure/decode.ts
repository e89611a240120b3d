/** 1. Decode: bytes → 40 × 2200 view per pulse, TypeScript vs numpy, each in its own process; copies for reference. */
import { order, type Context } from "../lib/context";
import { nodeChild, pythonChild, type Child, type Event } from "../lib/procs";
import { pairRow, type Row } from "../lib/report";
import { median } from "../lib/stats";

type DecodeResult = Event & {
  ns: Record<string, number[]>;
  copied: boolean;
  unalignedCopied?: boolean;
  unalignedBufferError?: string;
  sample: number;
};

const OPS = [
  { op: "decode", name: "decode: bytes → 40 × 2200 view (8-aligned payload)", goal: "TS/Py ≤ 2, zero-copy" },
  { op: "decodeUnaligned", name: "decode, payload not 8-aligned (TS copies, numpy reads in place)" },
  { op: "analyse", name: "for scale: decode + analysePulse vs numpy analysis (bench/python/analysis.py)", unit: "µs/pulse" },
  { op: "copyInto", name: "reference: one memcpy of 704 KB (Buffer.copy / np.copyto)" },
  { op: "copyNew", name: "reference: new 704 KB buffer + memcpy (Uint8Array slice / np.copy)" },
] as const;

async function runChild(child: Child): Promise<DecodeResult> {
  try {
    const result = await child.next<DecodeResult>("result", 180_000);
    await child.exited;
    return result;
  } finally {
    await child.stop();
  }
}

export async function measureDecode(ctx: Context): Promise<Row[]> {
  const iterations = ctx.quick ? 50_000 : 200_000;
  const batches = ctx.quick ? 5 : 9;
  const args = ["--pulse", ctx.pulseFile, "--iterations", String(iterations), "--batches", String(batches)];
  const ts: DecodeResult[] = [];
  const py: DecodeResult[] = [];
  for (let run = 0; run < ctx.runs; run++) {
    for (const side of order(run, "ts", "py")) {
      ctx.log(`decode: run ${run + 1}/${ctx.runs}, ${side === "ts" ? "TypeScript" : "Python"}`);
      if (side === "ts") ts.push(await runChild(nodeChild("decode-ts", "children/decode.ts", args, { cpuProfDir: ctx.profileDir })));
      else py.push(await runChild(pythonChild("decode-py", "decode.py", args)));
    }
  }
  const sameNumbers = ts.every((r) => r.sample === py[0]?.sample);
  const zeroCopy = ts.every((r) => r.copied === false);
  return OPS.map(({ op, name, ...rest }) => {
    const goal = "goal" in rest ? rest.goal : undefined;
    const micro = "unit" in rest;
    const row = pairRow(
      "1 decode",
      name,
      micro ? rest.unit : "ns/pulse",
      ts.map((r) => median(r.ns[op]!) / (micro ? 1000 : 1)),
      py.map((r) => median(r.ns[op]!) / (micro ? 1000 : 1)),
      { goal, detail: { ts: ts.map((r) => r.ns[op]), py: py.map((r) => r.ns[op]) } },
    );
    if (op === "decode") {
      row.met = zeroCopy && row.ratio !== undefined && row.ratio.median <= 2;
      row.note = `TS zero-copy: ${zeroCopy ? "yes" : "NO"}; same value at R1BLM3[420] as numpy: ${sameNumbers ? "yes" : "NO"}; ${iterations.toLocaleString("en-GB")} decodes × ${batches} batches per process`;
    }
    if (op === "analyse")
      row.note = "baseline medians, loss integrals, intensity peak, survival, hottest BLM, dead channels: the same rules in both";
    if (op === "decodeUnaligned") {
      const error = ts.find((r) => r.unalignedBufferError)?.unalignedBufferError;
      row.note =
        `TS copied: ${ts.every((r) => r.unalignedCopied) ? "yes" : "no"}` +
        (error ? `; decodePulse(an unaligned Buffer) fails: ${error} — timed with a Uint8Array over the same bytes` : "");
    }
    return row;
  });
}
