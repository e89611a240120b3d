/**
 * 7. One notebook-like process (bench/children/notebook.ts): the built-in feed at 50 Hz and its subscriber in the
 * same Node process, as every student runs them. Latency from the simulator's publish to analysePulse done, with
 * the feed on a thread of its own (what the lessons run now) and on the process's one thread (before), alternating;
 * then the live view with its defaults on the built-in feed: redraws per second, CPU, and how long a cell would
 * wait to start. There is no Python counterpart: the original lesson had no broker of its own.
 */
import type { Context } from "../lib/context";
import { join } from "node:path";
import { nodeChild, ROOT, type Child, type Event } from "../lib/procs";
import type { Row } from "../lib/report";
import { max, median, percentile, spread } from "../lib/stats";
import { endChild } from "./subscribers";

type Feed = "worker" | "main";
const FEED_NAME: Record<Feed, string> = { worker: "feed on its own thread", main: "feed on the notebook's thread (before)" };

async function notebookChild(ctx: Context, feed: Feed, mode: string): Promise<Child> {
  // For experiments, e.g. BENCH_NOTEBOOK_NODE_ARGS=--trace-gc: node flags for this process only; what it prints
  // besides the protocol goes to out/bench/notebook-stdout.log.
  const nodeArgs = process.env.BENCH_NOTEBOOK_NODE_ARGS?.split(/\s+/).filter(Boolean);
  const stdoutLog = nodeArgs?.length ? join(ROOT, "out", "bench", "notebook-stdout.log") : undefined;
  const args = ["--feed", feed, "--mode", mode];
  const child = nodeChild(`notebook-${feed}`, "children/notebook.ts", args, { cpuProfDir: ctx.profileDir, nodeArgs, stdoutLog });
  try {
    await child.next("ready", 60_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return child;
}

interface LatencyRun {
  p99: number;
  median: number;
  max: number;
  lost: number;
  skipped: number;
  published: number;
  cpuPercent: number;
}

async function latencyOnce(ctx: Context, feed: Feed): Promise<LatencyRun> {
  const child = await notebookChild(ctx, feed, "latency");
  try {
    child.send({ cmd: "go", seconds: ctx.latencySeconds });
    const r = await child.next<Event & { latencies: number[]; published: number; skipped: number; cpuPercent: number }>(
      "result",
      (ctx.latencySeconds + 30) * 1000,
    );
    return {
      p99: percentile(r.latencies, 99),
      median: median(r.latencies),
      max: max(r.latencies),
      lost: r.published - r.latencies.length,
      skipped: r.skipped,
      published: r.published,
      cpuPercent: r.cpuPercent,
    };
  } finally {
    await endChild(child);
  }
}

export async function measureNotebook(ctx: Context): Promise<Row[]> {
  const runs: Record<Feed, LatencyRun[]> = { worker: [], main: [] };
  for (let run = 0; run < ctx.latencyRuns; run++) {
    for (const feed of run % 2 === 0 ? (["worker", "main"] as const) : (["main", "worker"] as const)) {
      ctx.log(`notebook: latency run ${run + 1}/${ctx.latencyRuns}, ${FEED_NAME[feed]}, 50 Hz for ${ctx.latencySeconds} s`);
      runs[feed].push(await latencyOnce(ctx, feed));
    }
  }
  const rows: Row[] = [];
  const total = (feed: Feed, key: "lost" | "skipped" | "published") => runs[feed].reduce((s, r) => s + r[key], 0);
  for (const feed of ["worker", "main"] as const) {
    const r = runs[feed];
    const goal = feed === "worker" ? "p99 ≤ 5 ms on every run, 0 lost" : undefined;
    rows.push({
      section: "7 notebook",
      name: `one process, built-in feed + subscriber, ${FEED_NAME[feed]}: publish → analysed, p99`,
      unit: "ms",
      ts: spread(r.map((x) => x.p99)),
      goal,
      met: goal ? r.every((x) => x.p99 <= 5) && total(feed, "lost") === 0 && total(feed, "skipped") === 0 : undefined,
      note:
        `median ${fmtList(r.map((x) => x.median))} ms, max ${fmtList(r.map((x) => x.max))} ms; ${ctx.latencySeconds} s × ${r.length} runs; ` +
        `published ${total(feed, "published")}, lost ${total(feed, "lost")}, feed skipped ${total(feed, "skipped")}; process CPU ${fmtList(r.map((x) => x.cpuPercent))} % of one core` +
        (feed === "main" ? `; p99 with the feed on its own thread ÷ this: ${ratioNote(runs.worker, r)}` : ""),
      detail: r,
    });
  }
  rows.push(...(await liveViewRows(ctx)));
  return rows;
}

function fmtList(values: number[]): string {
  return values.map((v) => v.toFixed(1)).join(" / ");
}

function ratioNote(worker: LatencyRun[], main: LatencyRun[]): string {
  const ratios = worker.map((w, i) => w.p99 / main[i]!.p99).filter(Number.isFinite);
  return ratios.length ? ratios.map((x) => x.toFixed(2)).join(" / ") : "—";
}

interface ViewResult extends Event {
  stats: { analysed: number; received: number; rejected: number; redraws: number; seconds: number };
  /** After the first frame (which loads the plotting code). */
  redrawsPerSecond: number;
  firstFrameMs: number;
  cpuPercent: number;
  cellWait: { p99Ms: number; maxMs: number; samples: number };
}

async function liveViewRows(ctx: Context): Promise<Row[]> {
  const seconds = ctx.quick ? 4 : 20;
  const results: ViewResult[] = [];
  for (let run = 0; run < ctx.latencyRuns; run++) {
    ctx.log(`notebook: live view run ${run + 1}/${ctx.latencyRuns}, built-in feed at 50 Hz, ${seconds} s`);
    const child = await notebookChild(ctx, "worker", "view");
    try {
      child.send({ cmd: "go", seconds });
      results.push(await child.next<ViewResult>("result", (seconds + 30) * 1000));
    } finally {
      await endChild(child);
    }
  }
  const all = (f: (r: ViewResult) => number) => spread(results.map(f));
  const everyPulse = results.every((r) => r.stats.analysed === r.stats.received && r.stats.rejected === 0);
  const redraws = all((r) => r.redrawsPerSecond);
  const wait = all((r) => r.cellWait.maxMs);
  return [
    {
      section: "7 notebook",
      name: "live view at 50 Hz (its defaults, built-in feed): redraws per second",
      unit: "redraws/s",
      ts: redraws,
      goal: "≥ 10 on every run, every pulse analysed",
      met: redraws.min >= 10 && everyPulse,
      note:
        `${seconds} s × ${results.length} runs, counted after the first frame (which loads the plotting code: ${fmtList(results.map((r) => r.firstFrameMs))} ms after the start); ` +
        `analysed ${results.map((r) => `${r.stats.analysed}/${r.stats.received}`).join(", ")} of received; the original redrew its matplotlib figure per message (the plotting rows: over 200 ms each)`,
    },
    {
      section: "7 notebook",
      name: "live view at 50 Hz: how long a cell would wait to start (a 25 ms timer's lateness), max",
      unit: "ms",
      ts: wait,
      goal: "≤ 100 ms",
      met: wait.max <= 100,
      note: `after the first frame; p99 ${fmtList(results.map((r) => r.cellWait.p99Ms))} ms over ${results.map((r) => r.cellWait.samples).join(", ")} samples`,
    },
    {
      section: "7 notebook",
      name: "live view at 50 Hz: CPU of the whole notebook process (feed thread included)",
      unit: "% of a core",
      ts: all((r) => r.cpuPercent),
      note: "user + system time of the process (both threads) after the first frame ÷ that time",
    },
  ];
}
