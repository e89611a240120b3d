/**
 * 3. Latency at the machine rate: 50 pulses/s on the feed's schedule, publish → analysed, through each broker.
 * The payload carries no timestamp (it is byte-identical to the real feed), so the publisher logs when it
 * published each pulse, in order, and the subscriber when it analysed each one, with a fingerprint of its
 * bytes; the two logs are matched in order, the fingerprint telling a lost pulse from a late one. Both
 * clocks are this machine's CLOCK_MONOTONIC.
 */
import { startBrokerByName, type RunningBroker } from "../lib/brokers";
import { order, type Context } from "../lib/context";
import { pairRow, type Row } from "../lib/report";
import { max, median, percentile } from "../lib/stats";
import { endChild, SIDE_NAME, startPublisher, startSubscriber, subscriberResult, type Side } from "./subscribers";

export const RATE = 50;
const PERIOD_MS = 1000 / RATE;

export interface LatencyRun {
  sent: number;
  skipped: number;
  analysed: number;
  lost: number;
  /** Analysed more than one period (20 ms) after publishing: the next pulse was already due. */
  late: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
}

/** Matches analysed pulses to published ones, in order; a fingerprint that does not fit skips lost ones. */
export function matchLatencies(
  published: number[],
  publishedPrints: string[],
  analysed: number[],
  analysedPrints: string[],
): { latenciesMs: number[]; unmatched: number } {
  const latenciesMs: number[] = [];
  let unmatched = 0;
  let i = 0;
  for (let j = 0; j < analysed.length; j++) {
    let k = i;
    while (k < published.length && publishedPrints[k] !== analysedPrints[j]) k++;
    if (k >= published.length || k - i >= 64) {
      unmatched++; // not one of the next pulses: cannot be placed
      continue;
    }
    latenciesMs.push((analysed[j]! - published[k]!) / 1e6);
    i = k + 1;
  }
  return { latenciesMs, unmatched };
}

async function latencyOnce(ctx: Context, broker: RunningBroker, side: Side): Promise<LatencyRun> {
  const sub = await startSubscriber(ctx, side, broker.url, ["--log-times"]);
  const { child: pub, fingerprints } = await startPublisher(ctx, broker.url, [
    "--mode",
    "timed",
    "--rate",
    String(RATE),
    "--seconds",
    String(ctx.latencySeconds),
  ]).catch(async (e) => {
    await sub.stop();
    throw e;
  });
  try {
    if (new Set(fingerprints).size !== fingerprints.length)
      throw new Error("the publisher's pulses are not all different: cannot match them");
    pub.send({ cmd: "go" });
    const done = await pub.next("done", (ctx.latencySeconds + 60) * 1000);
    const times = done.times as number[];
    const prints = (done.indices as number[]).map((k) => fingerprints[k]!);
    await new Promise((r) => setTimeout(r, 1000)); // the last pulses are on their way
    sub.send({ cmd: "stop" });
    const result = await subscriberResult(sub, 15_000);
    const { latenciesMs } = matchLatencies(times, prints, result.times ?? [], result.prints ?? []);
    return {
      sent: times.length,
      skipped: Number(done.skipped),
      analysed: result.analysed,
      lost: times.length - latenciesMs.length,
      late: latenciesMs.filter((l) => l > PERIOD_MS).length,
      medianMs: median(latenciesMs),
      p99Ms: percentile(latenciesMs, 99),
      maxMs: max(latenciesMs),
    };
  } finally {
    await Promise.all([endChild(pub), endChild(sub)]);
  }
}

export async function measureLatency(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of ctx.brokers) {
    const broker = await startBrokerByName(name, ctx.profileDir);
    const runs: Record<Side, LatencyRun[]> = { ts: [], py: [] };
    try {
      for (let run = 0; run < ctx.latencyRuns; run++) {
        for (const side of order<Side>(run, "ts", "py")) {
          ctx.log(`latency via ${name}: run ${run + 1}/${ctx.latencyRuns}, ${SIDE_NAME[side]}, ${RATE} Hz for ${ctx.latencySeconds} s`);
          runs[side].push(await latencyOnce(ctx, broker, side));
        }
      }
    } finally {
      await broker.close();
    }
    const total = (side: Side, key: "sent" | "skipped" | "lost" | "late") => runs[side].reduce((s, r) => s + r[key], 0);
    const pick = (key: "medianMs" | "p99Ms" | "maxMs") => [runs.ts.map((r) => r[key]), runs.py.map((r) => r[key])] as const;
    const p99 = pairRow("3 latency", `50 Hz via ${name}: publish → analysed, p99`, "ms", ...pick("p99Ms"), {
      goal: "TS p99 < 10 ms, 0 lost",
      detail: runs,
    });
    p99.met = total("ts", "lost") === 0 && total("ts", "skipped") === 0 && (p99.ts?.max ?? Infinity) < 10;
    p99.note =
      `${ctx.latencySeconds} s × ${ctx.latencyRuns} runs; goal checked on every run; published TS ${total("ts", "sent")} / Py ${total("py", "sent")} (publisher skipped ${total("ts", "skipped")} / ${total("py", "skipped")}); ` +
      `lost TS ${total("ts", "lost")} / Py ${total("py", "lost")}; late (> ${PERIOD_MS} ms) TS ${total("ts", "late")} / Py ${total("py", "late")}`;
    rows.push(pairRow("3 latency", `50 Hz via ${name}: publish → analysed, median`, "ms", ...pick("medianMs")));
    rows.push(p99);
    rows.push(pairRow("3 latency", `50 Hz via ${name}: publish → analysed, max`, "ms", ...pick("maxMs")));
  }
  return rows;
}
