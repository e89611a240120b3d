/**
 * 6. A classroom: one feed, 30 subscribers (MQTTClients in two child processes, so that the broker does not
 * share their event loop), through each broker, at 1 Hz, at 50 Hz, then at rising rates until delivery
 * drops. With aedes the feed runs in the broker's process (as `npm run feed` does), so its CPU is the
 * broker's and the feed's together; with Mosquitto the feed is a process of its own.
 */
import { startMosquitto, type BrokerName, type RunningBroker } from "../lib/brokers";
import type { Context } from "../lib/context";
import { cpuSeconds, nodeChild, sleep, type Child } from "../lib/procs";
import type { Row } from "../lib/report";
import { median, min, spread } from "../lib/stats";
import { endChild } from "./subscribers";

export const STUDENTS = 30;
const GROUPS = 2;
/** Delivery counts as kept up when the feed publishes this share of its rate and every subscriber gets this share of that. */
const KEPT_UP = 0.95;
const RATES_ABOVE = [60, 80, 100, 150, 200, 300, 400];
const RATES_BELOW = [5, 10, 20, 30, 40];

interface Step {
  rate: number;
  seconds: number;
  /** Pulses per second that reached each subscriber. */
  delivered: number[];
  minDelivered: number;
  medianDelivered: number;
  /** Pulses per second the feed actually published. */
  published: number;
  brokerCpuPercent: number;
  feedCpuPercent: number;
  subscribersCpuPercent: number;
  keptUp: boolean;
}

async function classroomFor(ctx: Context, name: BrokerName, rates: number[], budgetS: number): Promise<Step[]> {
  const children: Child[] = [];
  let mosquitto: RunningBroker | undefined;
  try {
    let url: string;
    let feeder: Child;
    let brokerPid: number;
    if (name === "aedes") {
      feeder = nodeChild("feed+aedes", "children/feeder.ts", ["--broker"], { cpuProfDir: ctx.profileDir });
      children.push(feeder);
      url = String((await feeder.next("ready", 30_000)).url);
      brokerPid = feeder.pid;
    } else {
      mosquitto = await startMosquitto();
      url = mosquitto.url;
      feeder = nodeChild("feed", "children/feeder.ts", ["--url", url]);
      children.push(feeder);
      await feeder.next("ready", 30_000);
      brokerPid = mosquitto.pid;
    }
    const groups: Child[] = [];
    for (let g = 0; g < GROUPS; g++) {
      const group = nodeChild(`class-${g}`, "children/classroom.ts", ["--url", url, "--clients", String(STUDENTS / GROUPS)]);
      children.push(group);
      groups.push(group);
    }
    await Promise.all(groups.map((g) => g.next("ready", 60_000)));

    const step = async (rate: number, seconds: number): Promise<Step> => {
      feeder.send({ cmd: "feed", rate });
      await feeder.next("feeding", 10_000);
      await sleep(Math.min(2000, 1000 + 2000 / rate)); // let the first pulses through
      feeder.send({ cmd: "stats" });
      const s0 = await feeder.next("stats", 10_000);
      for (const g of groups) g.send({ cmd: "reset" });
      await Promise.all(groups.map((g) => g.next("reset", 10_000)));
      const cpuBroker0 = cpuSeconds(brokerPid);
      const cpuFeed0 = name === "aedes" ? 0 : cpuSeconds(feeder.pid);
      const cpuSubs0 = groups.reduce((s, g) => s + cpuSeconds(g.pid), 0);
      const t0 = performance.now();
      await sleep(seconds * 1000);
      for (const g of groups) g.send({ cmd: "counts" });
      feeder.send({ cmd: "stats" });
      const counts = await Promise.all(groups.map((g) => g.next("counts", 10_000)));
      const s1 = await feeder.next("stats", 10_000);
      const elapsed = (performance.now() - t0) / 1000;
      const delivered = counts.flatMap((c) => (c.counts as number[]).map((n) => n / elapsed));
      const published = (Number(s1.published) - Number(s0.published)) / elapsed;
      const result: Step = {
        rate,
        seconds: elapsed,
        delivered,
        minDelivered: min(delivered),
        medianDelivered: median(delivered),
        published,
        brokerCpuPercent: ((cpuSeconds(brokerPid) - cpuBroker0) / elapsed) * 100,
        feedCpuPercent: name === "aedes" ? NaN : ((cpuSeconds(feeder.pid) - cpuFeed0) / elapsed) * 100,
        subscribersCpuPercent: ((groups.reduce((s, g) => s + cpuSeconds(g.pid), 0) - cpuSubs0) / elapsed) * 100,
        // Kept up: the feed got its pulses out at the rate asked for, and every subscriber got them.
        keptUp: published >= KEPT_UP * rate && min(delivered) >= KEPT_UP * published,
      };
      ctx.log(
        `classroom via ${name}: ${rate} Hz → per subscriber min ${result.minDelivered.toFixed(1)} / median ${result.medianDelivered.toFixed(1)} pulses/s, ` +
          `feed published ${published.toFixed(1)}/s, broker CPU ${result.brokerCpuPercent.toFixed(0)} %`,
      );
      return result;
    };

    const steps: Step[] = [];
    for (const rate of rates) steps.push(await step(rate, ctx.classSeconds));
    // Then a rising rate until delivery drops, bounded in time: above the last fixed rate if that kept up,
    // else from low up to it.
    const last = steps.at(-1)!;
    const risingRates = last.keptUp ? RATES_ABOVE.filter((r) => r > last.rate) : RATES_BELOW.filter((r) => r < last.rate);
    const start = Date.now();
    for (const rate of risingRates) {
      if ((Date.now() - start) / 1000 + ctx.classSeconds + 3 > budgetS) break;
      const s = await step(rate, ctx.classSeconds);
      steps.push(s);
      if (!s.keptUp) break;
    }
    feeder.send({ cmd: "stopFeed" });
    await feeder.next("feedStopped", 10_000);
    return steps;
  } finally {
    await Promise.all(children.map((c) => endChild(c)));
    await mosquitto?.close();
  }
}

export async function measureClassroom(ctx: Context): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of ctx.brokers) {
    ctx.log(`classroom via ${name}: ${STUDENTS} subscribers in ${GROUPS} processes`);
    const steps = await classroomFor(ctx, name, [1, 50], ctx.quick ? 12 : 120);
    for (const s of steps.slice(0, 2)) {
      rows.push({
        section: "6 classroom",
        name: `${STUDENTS} subscribers via ${name} at ${s.rate} Hz: delivered per subscriber, min / median`,
        unit: "pulses/s",
        ts: spread([s.minDelivered]),
        goal: s.rate === 50 ? "every subscriber gets ≥ 95 % of what the feed published" : undefined,
        met: s.rate === 50 ? s.keptUp : undefined,
        note:
          `median ${s.medianDelivered.toFixed(2)}; feed published ${s.published.toFixed(2)}/s; ${name === "aedes" ? "aedes + feed" : "Mosquitto"} CPU ${s.brokerCpuPercent.toFixed(0)} %` +
          `${Number.isFinite(s.feedCpuPercent) ? `, feed CPU ${s.feedCpuPercent.toFixed(0)} %` : ""}, subscribers' CPU ${s.subscribersCpuPercent.toFixed(0)} % (of one core)`,
        detail: s,
      });
    }
    const rising = steps.slice(2);
    const kept = steps.slice(1).filter((s) => s.keptUp);
    const best = kept.reduce<Step | undefined>((a, b) => (!a || b.published > a.published ? b : a), undefined);
    const firstDrop = steps
      .slice(1)
      .filter((s) => !s.keptUp)
      .sort((a, b) => a.rate - b.rate)[0];
    rows.push({
      section: "6 classroom",
      name: `${STUDENTS} subscribers via ${name}: highest feed rate every subscriber kept up with`,
      unit: "pulses/s",
      ts: spread([best ? best.published : 0]),
      note:
        (best
          ? `at rate ${best.rate}: broker CPU ${best.brokerCpuPercent.toFixed(0)} %, subscribers' CPU ${best.subscribersCpuPercent.toFixed(0)} %; `
          : "") +
        (firstDrop
          ? `dropped at rate ${firstDrop.rate} (feed published ${firstDrop.published.toFixed(1)}/s): per subscriber min ${firstDrop.minDelivered.toFixed(1)} / median ${firstDrop.medianDelivered.toFixed(1)}, broker CPU ${firstDrop.brokerCpuPercent.toFixed(0)} %, subscribers' CPU ${firstDrop.subscribersCpuPercent.toFixed(0)} %`
          : `no drop up to rate ${steps.at(-1)!.rate} (time-bounded)`) +
        `; rates tried: ${rising.map((s) => `${s.rate}${s.keptUp ? "" : "✗"}`).join(", ")}`,
      detail: steps,
    });
  }
  return rows;
}
