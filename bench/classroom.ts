/**
 * npm run bench:classroom — how many students the classroom's embedded broker serves on this machine before
 * delivery falls below 95 %: one process with the broker, its rules and the feed (as `npm run classroom` runs them),
 * and simulated students in processes of 25 (MQTTClients logged in with the class's passwords), on loopback. For each
 * topic, the room grows (25, 50, 100, 150, 200, 300 … students) until some student gets less than 95 % of what the
 * feed published on it during the step, or the time budget runs out. A step counts as served when, besides, the feed
 * (in the broker's process) got out 95 % of its rate: a broker too busy to read the feed slows the feed down first.
 *
 *   npm run bench:classroom                                  raw pulses at 1 Hz, the envelope and the summary at 50 Hz
 *   npm run bench:classroom -- --topics raw --max-students 200 --budget-minutes 10
 *
 * It prints one line per step and a table, with the load average before and after (the machine is shared), and
 * writes out/bench/classroom.json. Every child ends with the benchmark, on an error or Ctrl-C too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { numberFrom } from "../src/cli/run";
import { build } from "./lib/build";
import { BUILD_ENV, cpuSeconds, killAllNow, nodeChild, ROOT, sleep, stopAll, type Child } from "./lib/procs";
import { median, min } from "./lib/stats";
import { endChild } from "./measure/subscribers";

const TOPICS = {
  raw: { topic: "ac_phys/workxp/live_signals", rateHz: 1, windowS: 20, raw: true },
  envelope: { topic: "ac_phys/workxp/envelope", rateHz: 50, windowS: 8, raw: false },
  summary: { topic: "ac_phys/workxp/summary", rateHz: 50, windowS: 8, raw: false },
} as const;
type TopicName = keyof typeof TOPICS;
const STEPS = [25, 50, 100, 150, 200, 300, 400, 500];
const GROUP = 25;
const KEPT_UP = 0.95;

interface Step {
  students: number;
  publishedPerS: number;
  minDeliveredShare: number;
  medianDeliveredShare: number;
  brokerCpuPercent: number;
  /** Every student got ≥ 95 % of what the feed published. */
  delivered: boolean;
  keptUp: boolean;
  load: [number, number, number];
}

const { values } = parseArgs({
  options: {
    topics: { type: "string", default: "raw,envelope,summary" },
    "max-students": { type: "string", default: "300" },
    "budget-minutes": { type: "string", default: "20" },
    out: { type: "string", default: path.join(ROOT, "out", "bench", "classroom.json") },
  },
});

async function measure(name: TopicName, maxStudents: number, deadline: number): Promise<Step[]> {
  const { topic, windowS, raw } = TOPICS[name];
  const dir = mkdtempSync(path.join(tmpdir(), "bench-classroom-"));
  const passwords = path.join(dir, "passwords.txt");
  const children: Child[] = [];
  const steps: Step[] = [];
  try {
    const broker = nodeChild("classroom", "children/classroom-broker.ts", [
      "--students",
      String(maxStudents),
      "--passwords",
      passwords,
      "--rate",
      "1",
    ]);
    children.push(broker);
    const { url } = await broker.next("ready", 60_000);
    const groups: Child[] = [];
    for (const students of STEPS.filter((n) => n <= maxStudents)) {
      if (Date.now() + (windowS + 30) * 1000 > deadline) {
        console.log(`${name}: time budget reached before ${students} students`);
        break;
      }
      while (groups.length * GROUP < students) {
        const g = nodeChild(`students-${groups.length}`, "children/classroom.ts", [
          "--url",
          String(url),
          "--topic",
          topic,
          "--clients",
          String(GROUP),
          "--passwords",
          passwords,
          "--first",
          String(groups.length * GROUP),
        ]);
        children.push(g);
        groups.push(g);
        await g.next("ready", 120_000);
      }
      await sleep(2000); // let the new ones settle
      for (const g of groups) g.send({ cmd: "reset" });
      await Promise.all(groups.map((g) => g.next("reset", 10_000)));
      broker.send({ cmd: "stats" });
      const s0 = await broker.next("stats", 10_000);
      const cpu0 = cpuSeconds(broker.pid);
      const t0 = performance.now();
      await sleep(windowS * 1000);
      broker.send({ cmd: "stats" });
      const s1 = await broker.next("stats", 10_000);
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = cpuSeconds(broker.pid);
      // A raw pulse published just before the window closed is still on its way to a big room (704 kB to each):
      // give it 0.6 s, less than a period, so that at most that one pulse more than published is counted.
      if (raw) await sleep(600);
      for (const g of groups) g.send({ cmd: "counts" });
      const counts = (await Promise.all(groups.map((g) => g.next("counts", 10_000)))).flatMap((c) => c.counts as number[]);
      // Raw pulses go out on every 50th of the machine's pulses (pulseEvery); the compact topics on every one.
      const pulses = Number(s1.published) - Number(s0.published);
      const published = raw ? Math.floor(Number(s1.published) / 50) - Math.floor(Number(s0.published) / 50) : pulses;
      const shares = counts.map((c) => c / Math.max(1, published));
      const step: Step = {
        students,
        publishedPerS: published / seconds,
        minDeliveredShare: min(shares),
        medianDeliveredShare: median(shares),
        brokerCpuPercent: ((cpu1 - cpu0) / seconds) * 100,
        delivered: min(shares) >= KEPT_UP,
        // Served: every student got 95 % of what the feed published, and the feed (in the broker's process, as the
        // classroom runs it) got out 95 % of its rate; a broker that is too slow shows in either.
        keptUp: min(shares) >= KEPT_UP && published / seconds >= KEPT_UP * TOPICS[name].rateHz,
        load: loadavg().map((l) => Math.round(l * 100) / 100) as [number, number, number],
      };
      steps.push(step);
      console.log(
        `${name}: ${students} students → feed ${step.publishedPerS.toFixed(2)}/s on ${topic}; per student min ${(step.minDeliveredShare * 100).toFixed(1)} % / ` +
          `median ${(step.medianDeliveredShare * 100).toFixed(1)} % delivered; broker + feed CPU ${step.brokerCpuPercent.toFixed(0)} %; load ${step.load.join(" ")}`,
      );
      if (!step.delivered) break; // the feed falling behind is recorded, and the room grows on: delivery is the question
    }
    return steps;
  } finally {
    await Promise.all(children.map((c) => endChild(c)));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const maxStudents = numberFrom("max-students", values["max-students"], 300, (n) => Number.isInteger(n) && n >= GROUP);
  const deadline = Date.now() + numberFrom("budget-minutes", values["budget-minutes"], 20, (n) => n > 0) * 60_000;
  const names = values.topics!.split(",").map((t) => t.trim()) as TopicName[];
  for (const n of names) if (!(n in TOPICS)) throw new RangeError(`invalid --topics: ${n} (expected raw, envelope or summary)`);
  // The children run compiled JavaScript, as the notebooks do (through tsx every imported constant is a getter call).
  const outDir = path.join(ROOT, "out", "bench-classroom");
  mkdirSync(outDir, { recursive: true });
  process.env[BUILD_ENV] = build(outDir, (m) => console.log(m));
  const before = loadavg();
  console.log(`bench:classroom on ${cpus().length} cores, load average ${before.map((l) => l.toFixed(2)).join(" ")} at the start`);
  const results: Record<string, Step[]> = {};
  for (const name of names) results[name] = await measure(name, maxStudents, deadline);
  const after = loadavg();
  console.log(`\nload average ${after.map((l) => l.toFixed(2)).join(" ")} at the end\n`);
  console.log("| topic | rate | students | feed got out | every student got | served (both ≥ 95 %) | broker + feed CPU | load |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const name of names) {
    for (const s of results[name]!) {
      console.log(
        `| ${TOPICS[name].topic} | ${TOPICS[name].rateHz} Hz | ${s.students} | ${s.publishedPerS.toFixed(2)}/s | ≥ ${(s.minDeliveredShare * 100).toFixed(1)} % | ` +
          `${s.keptUp ? "yes" : "no"} | ${s.brokerCpuPercent.toFixed(0)} % | ${s.load[0]} |`,
      );
    }
  }
  mkdirSync(path.dirname(values.out!), { recursive: true });
  writeFileSync(values.out!, JSON.stringify({ started: new Date().toISOString(), loadBefore: before, loadAfter: after, results }, null, 2));
}

process.on("SIGINT", () => {
  killAllNow();
  process.exit(130);
});
main()
  .then(() => stopAll())
  .catch(async (error: unknown) => {
    console.error(`bench:classroom: ${error instanceof Error ? error.message : String(error)}`);
    await stopAll();
    process.exit(1);
  });
