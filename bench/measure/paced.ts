/**
 * 2b. CPU per pulse at the machine's pace: the feed publishes 50 pulses a second (startFeed, as `npm run feed`)
 * through each broker, and both subscribers — MQTTClient + decodePulse + analysePulse, what `npm run listen --json`
 * runs, and paho + numpy analysing each pulse as it arrives — receive the same stream in the same window. CPU from
 * /proc (user + system) over the window ÷ the pulses published in it. Flood-mode ingest (section 2) keeps a
 * process busy; at 50 Hz it sleeps between pulses, and each pulse pays for waking up.
 */
import { startBrokerByName } from "../lib/brokers";
import type { Context } from "../lib/context";
import { cpuSeconds, nodeChild, sleep, type Child } from "../lib/procs";
import { pairRow, type Row } from "../lib/report";
import { endChild, startSubscriber, subscriberResult, type Side } from "./subscribers";

const TOPIC = "bench/paced";

interface PacedRun {
  cpuMs: Record<Side, number>;
  pulses: number;
  lost: Record<Side, number>;
}

export async function measurePaced(ctx: Context): Promise<Row[]> {
  const seconds = ctx.quick ? 4 : 15;
  const rows: Row[] = [];
  for (const name of ctx.brokers) {
    const runs: PacedRun[] = [];
    for (let run = 0; run < ctx.latencyRuns; run++) {
      ctx.log(`paced: run ${run + 1}/${ctx.latencyRuns} via ${name}, 50 Hz for ${seconds} s, both subscribers at once`);
      runs.push(await pacedOnce(ctx, name, seconds));
    }
    const goal = "TS/Py ≤ 0.667 (1/1.5), none lost";
    const row = pairRow(
      "2 ingest",
      `CPU per pulse at 50 Hz (paced), through ${name}: receive + decode + analyse`,
      "ms CPU",
      runs.map((r) => r.cpuMs.ts),
      runs.map((r) => r.cpuMs.py),
      { goal, detail: runs },
    );
    const lost = (side: Side) => runs.reduce((s, r) => s + r.lost[side], 0);
    row.met = lost("ts") === 0 && row.ratio !== undefined && row.ratio.max <= 1 / 1.5;
    row.note = `${seconds} s × ${runs.length} runs, both subscribers on the same stream at once; ${runs.map((r) => r.pulses).join(", ")} pulses in the windows; lost TS ${lost("ts")}, Py ${lost("py")}; CPU of the subscriber process from /proc`;
    rows.push(row);
  }
  return rows;
}

async function pacedOnce(ctx: Context, name: (typeof ctx.brokers)[number], seconds: number): Promise<PacedRun> {
  const broker = await startBrokerByName(name, ctx.profileDir);
  const children: Child[] = [];
  try {
    // For aedes, the feed runs in the broker's process (as `npm run feed` does); for Mosquitto, beside it.
    const feeder =
      name === "aedes"
        ? broker.child
        : nodeChild("feeder", "children/feeder.ts", ["--url", broker.url, "--topic", TOPIC], { cpuProfDir: ctx.profileDir });
    if (feeder !== broker.child) {
      children.push(feeder);
      await feeder.next("ready", 30_000);
    }
    const subs = {
      ts: await startSubscriber(ctx, "ts", broker.url, [], TOPIC),
      py: await startSubscriber(ctx, "py", broker.url, [], TOPIC),
    };
    children.push(subs.ts, subs.py);
    feeder.send({ cmd: "feed", rate: 50, topic: TOPIC });
    await feeder.next("feeding", 10_000);
    await sleep(2000); // warm: JIT, V8's heap sizing
    const published = async () => {
      feeder.send({ cmd: "stats" });
      return Number((await feeder.next("stats", 10_000)).published);
    };
    const p0 = await published();
    const cpu0 = { ts: cpuSeconds(subs.ts.pid), py: cpuSeconds(subs.py.pid) };
    await sleep(seconds * 1000);
    const cpu1 = { ts: cpuSeconds(subs.ts.pid), py: cpuSeconds(subs.py.pid) };
    const p1 = await published();
    feeder.send({ cmd: "stopFeed" });
    const total = Number((await feeder.next("feedStopped", 10_000)).published);
    await sleep(500);
    subs.ts.send({ cmd: "stop" });
    subs.py.send({ cmd: "stop" });
    const [ts, py] = await Promise.all([subscriberResult(subs.ts, 10_000), subscriberResult(subs.py, 10_000)]);
    const pulses = p1 - p0;
    return {
      cpuMs: { ts: ((cpu1.ts - cpu0.ts) * 1000) / pulses, py: ((cpu1.py - cpu0.py) * 1000) / pulses },
      pulses,
      lost: { ts: total - ts.analysed, py: total - py.analysed },
    };
  } finally {
    await Promise.all(children.map((c) => endChild(c)));
    await broker.close();
  }
}
