/**
 * 5. Memory under 50 Hz: the embedded broker with the feed in one process (as `npm run feed` runs them),
 * a TypeScript subscriber (PulseMonitor, as the notebooks use it) and the Python subscriber, side by side on
 * the same feed; and beside them a notebook-like process: the built-in feed on its own thread and a PulseMonitor
 * in one process (bench/children/notebook.ts). RSS (and the JS heap of the Node processes) is sampled
 * throughout; the slope is fitted after a warm-up.
 */
import type { Context } from "../lib/context";
import { cpuSeconds, nodeChild, rssMb, sleep, type Child } from "../lib/procs";
import type { Row } from "../lib/report";
import { slopeWithError, spread } from "../lib/stats";
import { endChild, startSubscriber, subscriberResult } from "./subscribers";

const TOPIC = "ac_phys/workxp/live_signals";
/** Flat means: the fitted growth stays under this (MB per minute; 0.5 → 5 MB in 10 minutes). */
export const FLAT_MB_PER_MIN = 0.5;
/** Windows after the warm-up whose lowest values (floors) the slope is fitted through. */
const WINDOWS = 20;

interface Sample {
  t: number;
  rss: number;
  /** Node processes: the JS heap in use, the heap's reserved size, and memory outside it (Buffers). */
  heapUsed?: number;
  heapTotal?: number;
  external?: number;
}

/** Shorter runs print their figures but do not judge flatness: a few GC cycles look like a trend. */
const JUDGE_AFTER_MINUTES = 8;

export async function measureMemory(ctx: Context): Promise<Row[]> {
  const seconds = Math.round(ctx.memoryMinutes * 60);
  const span = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
  const judge = ctx.memoryMinutes >= JUDGE_AFTER_MINUTES;
  const sampleEvery = Math.max(0.5, Math.min(2, seconds / 120));
  const warmup = Math.min(60, seconds * 0.1);
  const children: Child[] = [];
  try {
    const feeder = nodeChild("feed+aedes", "children/feeder.ts", ["--broker", "--max-seconds", String(seconds + 300)], {
      cpuProfDir: ctx.profileDir,
    });
    children.push(feeder);
    const url = String((await feeder.next("ready", 30_000)).url);
    const ts = await startSubscriber(ctx, "ts", url, ["--monitor", "--max-seconds", String(seconds + 300)], TOPIC);
    children.push(ts);
    const py = await startSubscriber(ctx, "py", url, ["--max-seconds", String(seconds + 300)], TOPIC);
    children.push(py);
    const notebook = nodeChild(
      "notebook",
      "children/notebook.ts",
      ["--feed", "worker", "--mode", "monitor", "--max-seconds", String(seconds + 300)],
      {
        cpuProfDir: ctx.profileDir,
      },
    );
    children.push(notebook);
    await notebook.next("ready", 60_000);
    feeder.send({ cmd: "feed", rate: 50 });
    await feeder.next("feeding", 10_000);
    ctx.log(`memory: 50 Hz for ${span}, sampling every ${sampleEvery} s`);
    const samples: Record<"broker" | "ts" | "py" | "notebook", Sample[]> = { broker: [], ts: [], py: [], notebook: [] };
    const t0 = Date.now();
    const cpu0 = cpuSeconds(feeder.pid);
    let nextLog = t0 + 60_000;
    while (Date.now() - t0 < seconds * 1000) {
      const t = (Date.now() - t0) / 1000;
      feeder.send({ cmd: "stats" });
      ts.send({ cmd: "mem" });
      notebook.send({ cmd: "mem" });
      const [stats, tsMem, nbMem] = await Promise.all([feeder.next("stats", 10_000), ts.next("mem", 10_000), notebook.next("mem", 10_000)]);
      const bm = stats.memory as Record<string, number>;
      samples.broker.push({ t, rss: rssMb(feeder.pid), heapUsed: bm.heapUsed, heapTotal: bm.heapTotal, external: bm.external });
      samples.ts.push({
        t,
        rss: rssMb(ts.pid),
        heapUsed: Number(tsMem.heapUsed),
        heapTotal: Number(tsMem.heapTotal),
        external: Number(tsMem.external),
      });
      samples.py.push({ t, rss: rssMb(py.pid) });
      samples.notebook.push({ t, rss: rssMb(notebook.pid), heapUsed: Number(nbMem.heapUsed), heapTotal: Number(nbMem.heapTotal) });
      if (Date.now() > nextLog) {
        ctx.log(
          `memory: ${Math.round(t)} s, RSS broker ${samples.broker.at(-1)!.rss.toFixed(0)} MB, TS ${samples.ts.at(-1)!.rss.toFixed(0)} MB, Py ${samples.py.at(-1)!.rss.toFixed(0)} MB`,
        );
        nextLog += 60_000;
      }
      await sleep(Math.max(0, t0 + (t + sampleEvery) * 1000 - Date.now()));
    }
    const elapsed = (Date.now() - t0) / 1000;
    const brokerCpu = ((cpuSeconds(feeder.pid) - cpu0) / elapsed) * 100;
    notebook.send({ cmd: "mem" });
    const notebookEnd = await notebook.next("mem", 10_000);
    feeder.send({ cmd: "stopFeed" });
    const fed = await feeder.next("feedStopped", 10_000);
    await sleep(500);
    ts.send({ cmd: "stop" });
    py.send({ cmd: "stop" });
    const [tsResult, pyResult] = await Promise.all([subscriberResult(ts, 10_000), subscriberResult(py, 10_000)]);
    const published = Number(fed.published);

    // Garbage comes and goes in tens of MB (a pulse is 704 KB), so growth is judged on the floor: the lowest
    // value in each of several equal windows after the warm-up, and the slope fitted through those floors.
    // V8 sizes its heap over the first minutes (heapTotal settles after ~4 min at 50 Hz; a 25-minute run is
    // flat after that), so RSS is judged on the second half; the whole-run slope is shown beside it.
    const describe = (s: Sample[], key: "rss" | "heapUsed" | "heapTotal") => {
      const after = s.filter((x) => x.t >= warmup && x[key] !== undefined);
      const measured = seconds - warmup;
      const floors: { t: number; v: number }[] = [];
      for (let w = 0; w < WINDOWS; w++) {
        const inWindow = after.filter((x) => x.t >= warmup + (w * measured) / WINDOWS && x.t < warmup + ((w + 1) * measured) / WINDOWS);
        if (inWindow.length === 0) continue;
        const lowest = inWindow.reduce((a, b) => (b[key]! < a[key]! ? b : a));
        floors.push({ t: lowest.t, v: lowest[key]! });
      }
      const late = floors.filter((f) => f.t >= seconds / 2);
      const all = slopeWithError(
        floors.map((f) => f.t / 60),
        floors.map((f) => f.v),
      );
      const second = slopeWithError(
        late.map((f) => f.t / 60),
        late.map((f) => f.v),
      );
      return {
        start: floors[0]?.v ?? NaN,
        middle: floors[Math.floor(floors.length / 2)]?.v ?? NaN,
        end: floors.at(-1)?.v ?? NaN,
        slopeAll: all.slope,
        errorAll: all.error,
        slopeLate: second.slope,
        errorLate: second.error,
        peak: Math.max(...after.map((x) => x[key]!)),
      };
    };
    type Described = ReturnType<typeof describe>;
    const line = (label: string, d: Described) =>
      `${label} ${d.start.toFixed(1)} → ${d.middle.toFixed(1)} → ${d.end.toFixed(1)} MB (peak ${d.peak.toFixed(0)})`;
    const pm = (slope: number, error: number) => `${slope.toFixed(2)} ± ${(2 * error).toFixed(2)}`;
    const slopes = (d: Described) => `slope ${pm(d.slopeAll, d.errorAll)} MB/min (run), ${pm(d.slopeLate, d.errorLate)} (2nd half)`;
    const one = (n: number) => spread([n]);
    const rows: Row[] = [];
    const tsRss = describe(samples.ts, "rss");
    const tsHeap = describe(samples.ts, "heapUsed");
    const tsHeapTotal = describe(samples.ts, "heapTotal");
    const pyRss = describe(samples.py, "rss");
    const brRss = describe(samples.broker, "rss");
    const brHeap = describe(samples.broker, "heapUsed");
    const nbRss = describe(samples.notebook, "rss");
    const nbHeap = describe(samples.notebook, "heapUsed");
    // Flat: no growth beyond noise — the slope is under the threshold, or within two standard errors of zero
    // (shrinking is fine). RSS over the second half, the JS heap over the whole run.
    const flatSlope = (slope: number, error: number) => slope <= FLAT_MB_PER_MIN || slope <= 2 * error;
    const flat = (rss: Described, heap: Described) =>
      judge ? flatSlope(rss.slopeLate, rss.errorLate) && flatSlope(heap.slopeAll, heap.errorAll) : undefined;
    const tooShort = judge ? "" : ` (not judged: under ${JUDGE_AFTER_MINUTES} min)`;
    const goal = `no growth beyond noise: RSS floor slope over the second half (and JS heap floor over the run) ≤ ${FLAT_MB_PER_MIN} MB/min or within 2 SE of 0${tooShort}`;
    rows.push({
      section: "5 memory",
      name: `subscriber RSS slope, second half of 50 Hz for ${span} (TS: PulseMonitor)`,
      unit: "MB/min",
      ts: one(tsRss.slopeLate),
      py: one(pyRss.slopeLate),
      goal,
      met: flat(tsRss, tsHeap),
      note:
        `${line("TS RSS", tsRss)}, ${slopes(tsRss)}; JS heap used ${line("", tsHeap).trim()}, ${slopes(tsHeap)}; V8 heap reserved ${tsHeapTotal.start.toFixed(0)} → ${tsHeapTotal.end.toFixed(0)} MB; ` +
        `${line("Py RSS", pyRss)}, ${slopes(pyRss)}; start → middle → end: floors of the first, middle and last of ${WINDOWS} windows after a ${warmup} s warm-up; ± is 2 standard errors; ` +
        `analysed TS ${tsResult.analysed} / Py ${pyResult.analysed} of ${published} published`,
      detail: { samples, tsResult: { ...tsResult }, pyResult: { ...pyResult }, published },
    });
    rows.push({
      section: "5 memory",
      name: `embedded broker + feed (one process) RSS slope, second half of 50 Hz for ${span}`,
      unit: "MB/min",
      ts: one(brRss.slopeLate),
      goal,
      met: flat(brRss, brHeap),
      note: `${line("RSS", brRss)}, ${slopes(brRss)}; JS heap used ${line("", brHeap).trim()}, ${slopes(brHeap)}; CPU ${brokerCpu.toFixed(0)} % of one core; feed skipped ${fed.skipped}`,
    });
    rows.push({
      section: "5 memory",
      name: `notebook-like process (built-in feed on its own thread + PulseMonitor) RSS slope, second half of 50 Hz for ${span}`,
      unit: "MB/min",
      ts: one(nbRss.slopeLate),
      goal,
      met: flat(nbRss, nbHeap),
      note: `${line("RSS", nbRss)}, ${slopes(nbRss)}; JS heap used (this thread's) ${line("", nbHeap).trim()}, ${slopes(nbHeap)}; analysed ${Number(notebookEnd.analysed)} pulses`,
    });
    rows.push({
      section: "5 memory",
      name: "subscriber RSS at the end of the run",
      unit: "MB",
      ts: one(tsRss.end),
      py: one(pyRss.end),
      ratio: one(tsRss.end / pyRss.end),
      note: `TS heap used ${tsHeap.end.toFixed(1)} MB; broker + feed RSS ${brRss.end.toFixed(1)} MB`,
    });
    const fedRate = (published + Number(fed.skipped)) / elapsed;
    rows.push({
      section: "5 memory",
      name: "the feed's schedule: startFeed({ rate: 50 }) slots per second (published + skipped)",
      unit: "pulses/s",
      ts: one(fedRate),
      goal: "50 ± 1 %",
      met: Math.abs(fedRate - 50) <= 0.5,
      note: `published ${published}, skipped ${fed.skipped} in ${elapsed.toFixed(0)} s (${(published / elapsed).toFixed(1)} published/s)`,
    });
    return rows;
  } finally {
    await Promise.all(children.map((c) => endChild(c)));
  }
}
