import type { PulseAnalysis } from "../beam/analysis";
import type { Pulse } from "../beam/decode";
import { BLM_COUNT, CHANNELS, superperiodOf } from "../beam/layout";
import { superperiodColor } from "./colors";
import { composeSvg, escapeXml, nestedSvg, plotDocument, type PlotElement } from "./figure-dom";
import { Plot } from "./observable-plot";
import { pulseFigureParts } from "./pulse-plot";

/** One past pulse in the rolling history: when it arrived and its analysis. */
export interface HistoryPoint {
  readonly seq: number;
  readonly receivedAt: number;
  readonly analysis: Pick<PulseAnalysis, "lossIntegralVms">;
}

/** Everything one frame of the live view shows. */
export interface LiveFrameInput {
  /** The pulse to draw (the newest one), if any arrived yet. */
  readonly pulse?: Pulse;
  readonly analysis?: Pick<PulseAnalysis, "deadChannels" | "hottestBlm" | "hottestBlmIntegralVms" | "survival">;
  readonly seq?: number;
  /** Recent analyses, oldest first. */
  readonly history: readonly HistoryPoint[];
  /** Status lines at the top: rates, counts, latency. */
  readonly status: readonly string[];
  /** Width in px (default 960). */
  readonly width?: number;
  /** Decimation buckets for the pulse (default 150). */
  readonly buckets?: number;
  /** How many of the hottest monitors the history shows (default 5). */
  readonly hottest?: number;
}

/**
 * One frame of the live view as SVG: status text, the newest pulse (decimated), and the loss integral of the
 * hottest monitors over the recent pulses (a rolling history, newest at the right).
 */
export function liveFrame(input: LiveFrameInput): string {
  const width = input.width ?? 960;
  const parts: string[] = [];
  let y = 0;
  input.status.forEach((line, i) => {
    const big = i === 0;
    parts.push(
      `<text class="live-status" x="12" y="${y + (big ? 20 : 16)}" font-size="${big ? 15 : 12}"${big ? ' font-weight="bold"' : ""} text-anchor="start">${escapeXml(line)}</text>`,
    );
    y += big ? 28 : 18;
  });
  y += 4;
  if (input.pulse) {
    const figure = pulseFigureParts(input.pulse, {
      width,
      lossHeight: 210,
      intensityHeight: 120,
      buckets: input.buckets ?? 150,
      title: null,
      legend: false,
      ...(input.analysis ? { analysis: input.analysis } : {}),
    });
    parts.push(`<g class="live-pulse" transform="translate(0,${y})">${figure.parts.join("")}</g>`);
    y += figure.height;
  } else {
    parts.push(`<text x="${width / 2}" y="${y + 80}" font-size="14" fill="#666">waiting for the first pulse…</text>`);
    y += 160;
  }
  if (input.history.length >= 2) {
    const history = historyPanel(input.history, width, 190, input.hottest ?? 5);
    parts.push(nestedSvg(history, 0, y));
    y += 190;
  }
  return composeSvg({ width, height: y + 4, title: "Live view", parts, className: "live-view" });
}

/** The loss integral of the hottest monitors (by their mean over the history) against time, in seconds before now. */
function historyPanel(history: readonly HistoryPoint[], width: number, height: number, hottest: number): PlotElement {
  const sums = new Float64Array(BLM_COUNT);
  const counts = new Float64Array(BLM_COUNT);
  for (const h of history) {
    for (let b = 0; b < BLM_COUNT; b++) {
      const v = h.analysis.lossIntegralVms[b]!;
      if (Number.isFinite(v)) {
        sums[b] = sums[b]! + v;
        counts[b] = counts[b]! + 1;
      }
    }
  }
  const rows = [...Array(BLM_COUNT).keys()]
    .filter((b) => counts[b]! > 0)
    .sort((a, b) => sums[b]! / counts[b]! - sums[a]! / counts[a]!)
    .slice(0, hottest);
  const newest = history[history.length - 1]!.receivedAt;
  const n = history.length * rows.length;
  const x = new Float64Array(n);
  const yv = new Float64Array(n);
  const z: string[] = new Array(n);
  const stroke: string[] = new Array(n);
  let k = 0;
  for (const b of rows) {
    const name = CHANNELS[b]!;
    const color = superperiodColor(superperiodOf(b));
    for (const h of history) {
      x[k] = (h.receivedAt - newest) / 1000;
      yv[k] = h.analysis.lossIntegralVms[b]!;
      z[k] = name;
      stroke[k] = color;
      k++;
    }
  }
  const oldest = (history[0]!.receivedAt - newest) / 1000;
  let lo = 0;
  let hi = 0;
  for (const v of yv) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const domain: [number, number] = [lo - (hi - lo) * 0.05, hi + (hi - lo) * 0.08 || 0.01];
  const margin = { top: 22, bottom: 34 };
  const labels = dodge(
    rows.map((b) => ({ name: CHANNELS[b]!, value: history[history.length - 1]!.analysis.lossIntegralVms[b]! })),
    domain,
    height - margin.top - margin.bottom,
    12,
  );
  return Plot.plot({
    document: plotDocument(),
    width,
    height,
    marginLeft: 64,
    marginRight: 80,
    marginTop: margin.top,
    marginBottom: margin.bottom,
    style: { fontSize: "11px" },
    x: {
      domain: [Math.min(oldest, -1), 0],
      label: "Seconds before the newest pulse",
      labelArrow: "none",
      labelAnchor: "center",
      grid: true,
    },
    y: { domain, label: "Loss (V·ms)", labelArrow: "none", labelAnchor: "center", labelOffset: 48, grid: true },
    color: { type: "identity" },
    marks: [
      Plot.line({ length: n }, { x, y: yv, z, stroke, title: z, strokeWidth: 1.4, ariaDescription: "loss history" }),
      Plot.text(labels, {
        x: () => 0,
        y: (l: { y: number }) => l.y,
        text: (l: { name: string }) => l.name,
        dx: 6,
        textAnchor: "start",
        fill: (l: { name: string }) => superperiodColor(superperiodOf(CHANNELS.indexOf(l.name))),
        ariaDescription: "history labels",
      }),
      Plot.text([`Rolling history: the ${rows.length} hottest monitors over the last ${history.length} pulses`], {
        frameAnchor: "top-left",
        dy: -16,
        textAnchor: "start",
        fontWeight: "bold",
      }),
    ],
  }) as unknown as PlotElement;
}

/** End labels moved apart (at least `gapPx` pixels) so that close lines keep readable names. */
function dodge(
  labels: { name: string; value: number }[],
  [lo, hi]: [number, number],
  heightPx: number,
  gapPx: number,
): { name: string; y: number }[] {
  const perPx = (hi - lo) / heightPx;
  const sorted = labels.filter((l) => Number.isFinite(l.value)).sort((a, b) => b.value - a.value);
  const out: { name: string; y: number }[] = [];
  for (const l of sorted) {
    const previous = out[out.length - 1];
    out.push({ name: l.name, y: previous ? Math.min(l.value, previous.y - gapPx * perPx) : l.value });
  }
  return out;
}
