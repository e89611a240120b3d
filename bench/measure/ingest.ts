/**
 * 2. Ingest throughput: N pulses as fast as TCP flow allows, through each broker, to one subscriber that
 * decodes and analyses every pulse. The same publisher for both subscribers; none may be lost.
 */
import { startBrokerByName, type RunningBroker } from "../lib/brokers";
import { order, type Context } from "../lib/context";
import { cpuSeconds } from "../lib/procs";
import { pairRow, type Row } from "../lib/report";
import { median } from "../lib/stats";
import { endChild, SIDE_NAME, startPublisher, startSubscriber, subscriberResult, type Side } from "./subscribers";

const MB = 1e6;
const PULSE_MB = 704_000 / MB;

interface IngestRun {
  analysed: number;
  lost: number;
  copied: number;
  pulsesPerSecond: number;
  seconds: number;
  checksum: number;
  /** CPU time (user + system) per pulse, ms: of the subscriber, of the broker. */
  subscriberCpuMs: number;
  brokerCpuMs: number;
}

async function ingestOnce(ctx: Context, broker: RunningBroker, side: Side): Promise<IngestRun> {
  const n = ctx.ingestCount;
  const sub = await startSubscriber(ctx, side, broker.url, ["--count", String(n)]);
  const { child: pub } = await startPublisher(ctx, broker.url, ["--mode", "flood", "--count", String(n)]).catch(async (e) => {
    await sub.stop();
    throw e;
  });
  try {
    const subCpu0 = cpuSeconds(sub.pid);
    const brokerCpu0 = cpuSeconds(broker.pid);
    pub.send({ cmd: "go" });
    const done = await pub.next("done", 300_000);
    const sentSeconds = (Number(done.tEndNs) - Number(done.t0Ns)) / 1e9;
    // Whatever the broker still holds arrives soon; a subscriber that lost pulses is stopped after a wait.
    const result = await subscriberResult(sub, Math.max(10_000, 3000 * sentSeconds));
    const seconds = (result.lastNs - Number(done.t0Ns)) / 1e9;
    const subscriberCpuMs = ((cpuSeconds(sub.pid) - subCpu0) * 1000) / Math.max(1, result.analysed);
    const brokerCpuMs = ((cpuSeconds(broker.pid) - brokerCpu0) * 1000) / Math.max(1, result.analysed);
    return {
      analysed: result.analysed,
      lost: n - result.analysed,
      copied: result.copied,
      pulsesPerSecond: result.analysed / seconds,
      seconds,
      checksum: result.checksum,
      subscriberCpuMs,
      brokerCpuMs,
    };
  } finally {
    await Promise.all([endChild(pub), endChild(sub)]);
  }
}

export async function measureIngest(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of ctx.brokers) {
    const broker = await startBrokerByName(name, ctx.profileDir);
    const runs: Record<Side, IngestRun[]> = { ts: [], py: [] };
    try {
      for (let run = 0; run < ctx.runs; run++) {
        for (const side of order<Side>(run, "ts", "py")) {
          ctx.log(`ingest via ${name}: run ${run + 1}/${ctx.runs}, ${SIDE_NAME[side]}, ${ctx.ingestCount} pulses`);
          runs[side].push(await ingestOnce(ctx, broker, side));
        }
      }
    } finally {
      await broker.close();
    }
    const lost = (side: Side) => runs[side].reduce((s, r) => s + r.lost, 0);
    const agree = runs.ts.every((t, i) =>
      runs.py[i] && t.lost === 0 && runs.py[i]!.lost === 0
        ? Math.abs(t.checksum - runs.py[i]!.checksum) <= 1e-9 * Math.abs(t.checksum)
        : true,
    );
    const pps = pairRow(
      "2 ingest",
      `pulses/s through ${name}, decoded + analysed`,
      "pulses/s",
      runs.ts.map((r) => r.pulsesPerSecond),
      runs.py.map((r) => r.pulsesPerSecond),
      {
        goal: "TS/Py ≥ 1, none lost",
        detail: runs,
      },
    );
    pps.met = lost("ts") === 0 && pps.ratio !== undefined && pps.ratio.median >= 1;
    pps.note = `${ctx.ingestCount} pulses per run; lost: TS ${lost("ts")}, Py ${lost("py")}; TS decodes that copied: ${runs.ts.reduce((s, r) => s + r.copied, 0)}; analyses agree: ${agree ? "yes" : "NO"}`;
    rows.push(pps);
    rows.push(
      pairRow(
        "2 ingest",
        `MB/s through ${name}`,
        "MB/s",
        runs.ts.map((r) => r.pulsesPerSecond * PULSE_MB),
        runs.py.map((r) => r.pulsesPerSecond * PULSE_MB),
      ),
    );
    const brokerCpu = median([...runs.ts, ...runs.py].map((r) => r.brokerCpuMs));
    rows.push(
      pairRow(
        "2 ingest",
        `subscriber CPU per pulse through ${name} (receive + decode + analyse)`,
        "ms CPU",
        runs.ts.map((r) => r.subscriberCpuMs),
        runs.py.map((r) => r.subscriberCpuMs),
        {
          note: `user + system time of the subscriber process over the run ÷ pulses; the ${name} broker used ${brokerCpu.toFixed(2)} ms CPU per pulse`,
        },
      ),
    );
  }
  return rows;
}
