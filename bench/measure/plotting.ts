/**
 * 4. Plotting: bench/plots.ts (pulsePlot, savePulsePlot, a live-view frame, and the original's matplotlib
 * plot and savefig on the same pulses), run `runs` times, each in a fresh process; per-pulse medians.
 */
import type { Context } from "../lib/context";
import { nodeChild, type Event } from "../lib/procs";
import { pairRow, type Row } from "../lib/report";
import { median } from "../lib/stats";
import { endChild } from "./subscribers";

interface Timing {
  name: string;
  times: number[];
  baseline?: string;
}

/** TypeScript task → the matplotlib task it is compared with, and the goal if there is one. */
const PAIRS = [
  {
    ts: "static plot (SVG)",
    py: "matplotlib draw",
    name: "static pulse plot: pulsePlot → SVG vs the original's plot, drawn",
    goal: "TS/Py ≤ 0.1",
  },
  { ts: "PNG export (plot + resvg + write)", py: "matplotlib savefig", name: "PNG export: savePulsePlot vs the original's plot + savefig" },
  {
    ts: "PNG export (plot + resvg + write)",
    py: "matplotlib savefig, tight_layout once",
    name: "PNG export vs plot + savefig with tight_layout called once (fairer)",
  },
  { ts: "live-view update (frame)", py: "matplotlib draw", name: "live-view update (one frame) vs redrawing the original's plot" },
] as const;

export async function measurePlots(ctx: Context): Promise<Row[]> {
  const runs = ctx.quick ? 1 : 3;
  const args = ctx.quick
    ? ["--pulses", "8", "--mpl-pulses", "2", "--warmup", "2"]
    : ["--pulses", "20", "--mpl-pulses", "6", "--warmup", "3"];
  const results: Timing[][] = [];
  let skipped: string | undefined;
  for (let run = 0; run < runs; run++) {
    ctx.log(`plots: run ${run + 1}/${runs} (bench/plots.ts: TypeScript, then matplotlib on the same pulses)`);
    const child = nodeChild("plots", "children/plots.ts", args, { cpuProfDir: ctx.profileDir });
    try {
      const result = (await child.next("result", 600_000)) as Event & { timings: Timing[]; matplotlibSkipped?: string };
      results.push(result.timings);
      skipped ??= result.matplotlibSkipped;
    } finally {
      await endChild(child);
    }
  }
  const perRun = (name: string) => results.map((timings) => median(timings.find((t) => t.name === name)?.times ?? []));
  const rows = PAIRS.map(({ ts, py, name, ...rest }) => {
    const row = pairRow("4 plotting", name, "ms/pulse", perRun(ts), perRun(py), {
      goal: "goal" in rest ? rest.goal : undefined,
      detail: results,
    });
    if ("goal" in rest) row.met = row.ratio !== undefined && row.ratio.median <= 0.1;
    return row;
  });
  rows[0]!.note = `${results.length} runs × ${args[1]} pulses (matplotlib ${args[3]}); matplotlib: the original's on_message plot (39 lines + intensity, tight_layout in the loop, 25 × 15 in, Agg)${skipped ? `; matplotlib not measured: ${skipped}` : ""}`;
  const analysis = perRun("analysis (every pulse)");
  rows.push({
    section: "4 plotting",
    name: "analysePulse, for scale (the live view runs it on every pulse)",
    unit: "ms/pulse",
    ts: pairRow("", "", "", analysis, []).ts,
  });
  return rows;
}
