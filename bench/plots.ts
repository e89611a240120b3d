/**
 * npm run bench:plots — what drawing one pulse costs, against the original lesson's matplotlib code on the
 * same pulses, measured in the same run:
 *
 *   static plot     pulsePlot(pulse): all 39 BLMs + intensity as SVG (Observable Plot in Node, linkedom)
 *   PNG export      savePulsePlot(pulse, "beamplot.png"): the plot, rendered by resvg, written to disk
 *   live update     one live-view redraw: the frame (decimated pulse + rolling history) as notebook HTML
 *   analysis        analysePulse(pulse), which the live view does for every pulse (for scale)
 *   matplotlib      the original's on_message plotting (Debian's python3-matplotlib, Agg): numpy.fromfile,
 *                   a 25 × 15 inch figure (the size it has from the second message on), 39 BLM lines (the
 *                   original's 38, fixed) and the negated intensity, tight_layout in the loop as written;
 *                   "draw" renders the canvas, "savefig" writes beamplot.png; "tidy" calls tight_layout once.
 *
 *   npm run bench:plots                      20 pulses each (matplotlib: 6), medians, min–max, ratios
 *   npm run bench:plots -- --pulses 40 --mpl-pulses 10 --json out/bench/plots.json
 *
 * Times are per pulse, in ms, after warm-up runs. BENCH_LIB=<dir> measures a compiled build instead of src/.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type * as LearningMqtt from "../src/index";
import type * as LiveFrame from "../src/plots/live-frame";
import type { HistoryEntry } from "../src/live/pulse-monitor";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const lm: typeof LearningMqtt = require(process.env.BENCH_LIB ? path.join(process.env.BENCH_LIB, "index.js") : "../src/index");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames: typeof LiveFrame = require(
  process.env.BENCH_LIB ? path.join(process.env.BENCH_LIB, "plots", "live-frame.js") : "../src/plots/live-frame",
);

const PYTHON = "/usr/bin/python3";

/** One measured task: per-pulse times in ms. */
export interface Timing {
  readonly name: string;
  readonly times: number[];
  /** The matplotlib task it is compared with, if any. */
  readonly baseline?: string;
}

export interface PlotBench {
  readonly timings: Timing[];
  /** Why matplotlib was not measured, if it was not. */
  readonly matplotlibSkipped?: string;
}

export interface PlotBenchOptions {
  /** Pulses for the TypeScript tasks (default 20). */
  pulses?: number;
  /** Pulses for matplotlib (default 6: a 25 × 15 savefig takes seconds). */
  mplPulses?: number;
  /** Untimed runs first (default 3). */
  warmup?: number;
  log?: (line: string) => void;
}

/** Runs every task and returns the per-pulse times. */
export async function benchPlots(options: PlotBenchOptions = {}): Promise<PlotBench> {
  const n = options.pulses ?? 20;
  const mplN = options.mplPulses ?? 6;
  const warmup = options.warmup ?? 3;
  const log = options.log ?? (() => {});
  const simulator = new lm.BeamSimulator({ seed: 1 });
  const pulses = Array.from({ length: Math.max(n, mplN) + warmup }, () => lm.pulseFromSamples(simulator.nextPulse()));
  const dir = mkdtempSync(path.join(tmpdir(), "bench-plots-"));
  try {
    const timings: Timing[] = [];
    const time = (name: string, run: (pulse: LearningMqtt.Pulse, i: number) => void, baseline?: string) => {
      for (let i = 0; i < warmup; i++) run(pulses[i]!, i);
      const times: number[] = [];
      for (let i = warmup; i < warmup + n; i++) {
        const t0 = performance.now();
        run(pulses[i]!, i);
        times.push(performance.now() - t0);
      }
      timings.push({ name, times, ...(baseline ? { baseline } : {}) });
      log(`${name}: median ${median(times).toFixed(1)} ms`);
    };

    time("analysis (every pulse)", (pulse) => void lm.analysePulse(pulse));
    time("static plot (SVG)", (pulse) => void lm.pulsePlot(pulse), "matplotlib draw");
    time(
      "PNG export (plot + resvg + write)",
      (pulse) => void lm.savePulsePlot(pulse, path.join(dir, "beamplot.png")),
      "matplotlib savefig",
    );

    // A live-view redraw as the view does it: the newest pulse and 250 pulses of history, as notebook HTML.
    const history: HistoryEntry[] = pulses.slice(0, 10).map((p, i) => ({ seq: i, receivedAt: i * 20, analysis: lm.analysePulse(p) }));
    const rolling = Array.from({ length: 250 }, (_, i) => ({ ...history[i % history.length]!, seq: i, receivedAt: i * 20 }));
    const analyses = new Map(pulses.map((p) => [p, lm.analysePulse(p)]));
    time(
      "live-view update (frame)",
      (pulse, i) => {
        const analysis = analyses.get(pulse)!; // analysed on arrival, not at redraw
        const svg = frames.liveFrame({
          pulse,
          analysis,
          seq: i,
          history: rolling,
          status: [`Live view · pulse #${i}`, "received …", "running …"],
        });
        void `<div class="lm-figure">${svg}</div>`;
      },
      "matplotlib draw",
    );

    const mpl = matplotlib(pulses.slice(warmup, warmup + mplN), dir, log);
    if ("skipped" in mpl) return { timings, matplotlibSkipped: mpl.skipped };
    timings.push(...mpl.timings);
    return { timings };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The original's plotting in Python, on the same pulses (their bytes, through numpy.fromfile). */
function matplotlib(pulses: LearningMqtt.Pulse[], dir: string, log: (line: string) => void): { timings: Timing[] } | { skipped: string } {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found` };
  const files = pulses.map((pulse, i) => {
    const file = path.join(dir, `pulse-${i}.f64`);
    writeFileSync(file, lm.encodePulse(pulse));
    return file;
  });
  const script = String.raw`
import json, sys, time
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

files, out = sys.argv[1:-1], sys.argv[-1]
x = np.linspace(-0.5, 10.5, 2200)

def figure(path, tight_in_loop):
    # on_message of the original, with range(0, 39) instead of range(1, 39), in the 25 x 15 figure it
    # creates after each save (so every message after the first is drawn at that size).
    msg_array = np.reshape(np.fromfile(path, dtype=float), (40, 2200))
    fig = plt.figure(figsize=(25, 15))
    for i in range(0, 39):
        plt.subplot(211)
        plt.plot(x, msg_array[i])
        plt.ylabel('Data received')
        plt.xlabel('Time (ms)')
        if tight_in_loop:
            plt.tight_layout()
    plt.subplot(212)
    plt.plot(x, -(msg_array[39]))
    plt.ylabel('Beam intensity')
    plt.xlabel('Time (ms)')
    plt.tight_layout()
    return fig

def measure(name, work):
    figure(files[0], False).canvas.draw(); plt.close("all")  # warm-up: imports, fonts, caches
    times = []
    for path in files:
        t0 = time.perf_counter()
        work(path)
        times.append((time.perf_counter() - t0) * 1000)
        plt.close("all")
    print(name, "median", sorted(times)[len(times) // 2], file=sys.stderr, flush=True)
    return {"name": name, "times": times}

results = [
    measure("matplotlib draw", lambda p: figure(p, True).canvas.draw()),
    measure("matplotlib savefig", lambda p: figure(p, True).savefig(out)),
    measure("matplotlib savefig, tight_layout once", lambda p: figure(p, False).savefig(out)),
]
print(json.dumps(results))
`;
  const result = spawnSync(PYTHON, ["-c", script, ...files, path.join(dir, "beamplot-mpl.png")], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (result.status !== 0)
    return { skipped: `matplotlib failed: ${(result.stderr || result.error?.message || "").trim().split("\n").at(-1)}` };
  for (const line of result.stderr.trim().split("\n")) if (line) log(line);
  const timings = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Timing[];
  return { timings };
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The results as a table: median, min–max, and how many times faster than the matplotlib baseline. */
export function report(bench: PlotBench): string {
  const byName = new Map(bench.timings.map((t) => [t.name, t]));
  const rows = bench.timings.map((t) => {
    const m = median(t.times);
    const base = t.baseline ? byName.get(t.baseline) : undefined;
    const ratio = base ? `${(median(base.times) / m).toFixed(0)}× faster than ${base.name}` : "";
    return [t.name, m.toFixed(1), `${Math.min(...t.times).toFixed(1)}–${Math.max(...t.times).toFixed(1)}`, String(t.times.length), ratio];
  });
  const header = ["per pulse", "median ms", "min–max ms", "n", "vs matplotlib (same run)"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ");
  const lines = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  if (bench.matplotlibSkipped) lines.push(`matplotlib not measured: ${bench.matplotlibSkipped}`);
  return lines.join("\n");
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { pulses: { type: "string" }, "mpl-pulses": { type: "string" }, json: { type: "string" }, quiet: { type: "boolean" } },
  });
  const pulses = values.pulses === undefined ? undefined : Number(values.pulses);
  const mplPulses = values["mpl-pulses"] === undefined ? undefined : Number(values["mpl-pulses"]);
  console.log(
    `bench:plots on ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load ${loadavg()[0]!.toFixed(2)}, node ${process.version}, ${process.env.BENCH_LIB ? `build ${process.env.BENCH_LIB}` : "src/ through tsx"}`,
  );
  benchPlots({ pulses, mplPulses, log: values.quiet ? undefined : (l) => console.error(`  ${l}`) })
    .then((bench) => {
      console.log(report(bench));
      if (values.json) {
        mkdirSync(path.dirname(values.json), { recursive: true });
        writeFileSync(values.json, JSON.stringify(bench, null, 1));
      }
    })
    .catch((error: unknown) => {
      console.error(`bench:plots: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    });
}
