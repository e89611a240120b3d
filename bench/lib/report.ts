/** Lines of the benchmark's table: both figures, their ratio, the goal. */
import { spread, type Spread } from "./stats";

export interface Row {
  /** The measurement (1–6) this line belongs to, e.g. "decode". */
  section: string;
  /** What is measured, e.g. "bytes → 40 × 2200 view". */
  name: string;
  /** Unit of both figures, e.g. "ns/pulse". */
  unit: string;
  ts?: Spread;
  py?: Spread;
  /** TypeScript ÷ Python, run by run (the runs alternate), so its range is that of the paired runs. */
  ratio?: Spread;
  /** The goal, as a condition, e.g. "TS/Py ≤ 2". */
  goal?: string;
  met?: boolean;
  /** Anything else a reader needs: counts, lost pulses, what ran. */
  note?: string;
  /** Raw numbers for the JSON file. */
  detail?: unknown;
}

/** A row from per-run figures of both sides (same length, paired by run). */
export function pairRow(section: string, name: string, unit: string, ts: number[], py: number[], extra: Partial<Row> = {}): Row {
  const ratios = ts.map((t, i) => (py[i] !== undefined ? t / py[i]! : NaN)).filter(Number.isFinite);
  return { section, name, unit, ts: spread(ts), py: spread(py), ratio: ratios.length ? spread(ratios) : undefined, ...extra };
}

/** A number with about 3 significant digits. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a === 0) return "0";
  if (a >= 100) return Math.round(n).toLocaleString("en-GB");
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  if (a >= 0.01) return n.toFixed(3);
  return n.toPrecision(2);
}

export function fmtSpread(s: Spread | undefined): string {
  if (!s || !Number.isFinite(s.median)) return "—";
  if (s.runs.length <= 1 || s.min === s.max) return fmt(s.median);
  return `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
}

/** The table as Markdown: one line per row. */
export function markdownTable(rows: readonly Row[]): string {
  const head = "| # | measurement | unit | TypeScript | Python | TS/Py | goal | met | notes |\n|---|---|---|---|---|---|---|---|---|";
  const lines = rows.map((r) =>
    [
      r.section,
      r.name,
      r.unit,
      fmtSpread(r.ts),
      fmtSpread(r.py),
      r.ratio ? fmtSpread(r.ratio) : "—",
      r.goal ?? "",
      r.met === undefined ? "" : r.met ? "yes" : "**no**",
      r.note ?? "",
    ]
      .map((cell) => String(cell).replace(/\|/g, "\\|"))
      .join(" | "),
  );
  return [head, ...lines.map((l) => `| ${l} |`)].join("\n");
}
