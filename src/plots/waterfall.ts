import type { PulseAnalysis } from "../beam/analysis";
import type { Pulse } from "../beam/decode";
import { BLM_COUNT, CHANNELS, SAMPLES, T_END_MS, T_START_MS, rowOf } from "../beam/layout";
import { Plot } from "./observable-plot";
import { composeSvg, escapeXml, nestedSvg, plotDocument, type PlotElement } from "./figure-dom";
import { cellScale, colorBar, heatmapImage, heatmapPng } from "./raster";

/** Something with an analysis: a PulseMonitor history entry, or a monitored pulse. */
export interface Analysed {
  readonly analysis: Pick<PulseAnalysis, "lossIntegralVms">;
  readonly seq?: number;
}

/** What {@link waterfall} draws: whole pulses (one channel against time), or analyses (loss per BLM). */
export type WaterfallInput = readonly Pulse[] | readonly (Pick<PulseAnalysis, "lossIntegralVms"> | Analysed)[];

/** Options of {@link waterfall}. */
export interface WaterfallOptions {
  /** For pulses: the channel to show (default "R1BLM3", the monitor that usually sees most loss). */
  channel?: string;
  /** For pulses: time buckets across the pulse, each showing its largest value (default 220). */
  buckets?: number;
  /** Figure width in px (default 960). */
  width?: number;
  /** Height of the heatmap in px (default 360). */
  height?: number;
  /** Colour scale [low, high]; default from 0 (or the lowest value, if higher) to the highest value. */
  domain?: [number, number];
  /** A title; null for none. */
  title?: string | null;
}

const MARGIN = { left: 64, right: 90, top: 8, bottom: 62 };
/** Less room below when the x axis is time (no rotated channel names). */
const TIME_MARGIN_BOTTOM = 40;

/**
 * A heatmap of many pulses, one row per pulse (oldest at the top), coloured with viridis (yellow = most):
 * - given pulses: one channel against time (default R1BLM3), to see how its loss moves from pulse to pulse;
 * - given analyses (or PulseMonitor history entries): the loss integral of each of the 39 BLMs, to see
 *   which monitors are hot and when. Dead channels are grey.
 * Returns standalone SVG text; the cells are one embedded PNG image, so even 500 pulses stay small.
 * @example
 * show(waterfall(monitor.history()));          // pulse × BLM loss
 * show(waterfall(pulses, { channel: "R1BLM4" })); // pulse × time for one monitor
 */
export function waterfall(input: WaterfallInput, options: WaterfallOptions = {}): string {
  if (input.length === 0) throw new RangeError("waterfall: no pulses to draw (the list is empty)");
  return isPulse(input[0])
    ? pulseWaterfall(input as readonly Pulse[], options)
    : lossWaterfall(input as readonly (Pick<PulseAnalysis, "lossIntegralVms"> | Analysed)[], options);
}

function isPulse(value: unknown): value is Pulse {
  return typeof value === "object" && value !== null && "data" in value && (value as Pulse).data instanceof Float64Array;
}

function pulseWaterfall(pulses: readonly Pulse[], options: WaterfallOptions): string {
  const channel = options.channel ?? "R1BLM3";
  const row = rowOf(channel);
  const buckets = Math.min(options.buckets ?? 220, SAMPLES);
  // Each cell holds the largest sample of its time bucket, so a short loss peak keeps its height.
  const cells = new Float64Array(pulses.length * buckets);
  pulses.forEach((pulse, p) => {
    const values = pulse.row(row);
    for (let b = 0; b < buckets; b++) {
      let max = -Infinity;
      for (let i = Math.floor((b * SAMPLES) / buckets); i < Math.floor(((b + 1) * SAMPLES) / buckets); i++)
        if (values[i]! > max) max = values[i]!;
      cells[p * buckets + b] = max === -Infinity ? NaN : max;
    }
  });
  const domain = options.domain ?? autoDomain(cells);
  const title = options.title === undefined ? `${channel}, pulse after pulse` : options.title;
  return heatmapFigure({
    title,
    columns: buckets,
    rows: pulses.length,
    value: (c, r) => cells[r * buckets + c]!,
    domain,
    x: { domain: [T_START_MS, T_END_MS], label: "Time (ms)" },
    yLabel: "Pulse (oldest at top)",
    yDomain: [1, pulses.length],
    colorLabel: `${channel} (V)`,
    options,
  });
}

function lossWaterfall(items: readonly (Pick<PulseAnalysis, "lossIntegralVms"> | Analysed)[], options: WaterfallOptions): string {
  const losses = items.map((item) => ("analysis" in item ? item.analysis.lossIntegralVms : item.lossIntegralVms));
  const seqs = items.map((item, i) => ("seq" in item && typeof item.seq === "number" ? item.seq : i + 1));
  const cells = new Float64Array(items.length * BLM_COUNT);
  losses.forEach((l, p) => {
    for (let b = 0; b < BLM_COUNT; b++) cells[p * BLM_COUNT + b] = l[b] ?? NaN;
  });
  const domain = options.domain ?? autoDomain(cells);
  const title = options.title === undefined ? "Loss per monitor, pulse after pulse" : options.title;
  return heatmapFigure({
    title,
    columns: BLM_COUNT,
    rows: items.length,
    value: (c, r) => cells[r * BLM_COUNT + c]!,
    domain,
    x: { names: CHANNELS.slice(0, BLM_COUNT) },
    yLabel: "Pulse number (oldest at top)",
    yDomain: [seqs[0]!, seqs[seqs.length - 1]!],
    colorLabel: "Loss integral (V·ms)",
    options,
  });
}

/** Colour domain: from 0 (or the lowest value, when all are above 0) to the highest value. */
function autoDomain(cells: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of cells) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  const low = Math.max(0, lo);
  return [low, hi > low ? hi : low + 1e-3];
}

interface HeatmapSpec {
  title: string | null;
  columns: number;
  rows: number;
  value: (column: number, row: number) => number;
  domain: [number, number];
  x: { domain: [number, number]; label: string } | { names: readonly string[] };
  yLabel: string;
  yDomain: [number, number];
  colorLabel: string;
  options: WaterfallOptions;
}

function heatmapFigure(spec: HeatmapSpec): string {
  const width = spec.options.width ?? 960;
  const height = spec.options.height ?? 360;
  const marginBottom = "names" in spec.x ? MARGIN.bottom : TIME_MARGIN_BOTTOM;
  const frame = { x: MARGIN.left, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - marginBottom };
  const [y0, y1] = spec.yDomain;
  const axes = Plot.plot({
    document: plotDocument(),
    width,
    height,
    marginLeft: MARGIN.left,
    marginRight: MARGIN.right,
    marginTop: MARGIN.top,
    marginBottom,
    style: { fontSize: "11px" },
    x:
      "names" in spec.x
        ? { type: "band", domain: spec.x.names as string[], padding: 0, round: false, tickRotate: -60, label: null }
        : { domain: spec.x.domain, label: spec.x.label, labelArrow: "none", labelAnchor: "center" },
    // Pulse numbers run down the page; a half-cell of room at each end centres the ticks on the rows.
    y: {
      domain: [y0 - 0.5, y1 + 0.5],
      reverse: true,
      label: spec.yLabel,
      labelArrow: "none",
      labelAnchor: "center",
      labelOffset: 48,
      tickFormat: "d",
    },
    marks: [Plot.frame({ stroke: "#888888" })],
  }) as unknown as PlotElement;

  const parts: string[] = [];
  let top = 0;
  if (spec.title) {
    parts.push(`<text x="${MARGIN.left}" y="18" font-size="15" font-weight="bold" text-anchor="start">${escapeXml(spec.title)}</text>`);
    top += 26;
  }
  const png = heatmapPng(spec.columns, spec.rows, spec.value, spec.domain, ...cellScale(spec.columns, spec.rows, frame.w, frame.h));
  parts.push(`<g class="heatmap">${heatmapImage(png, frame.x, top + MARGIN.top, frame.w, frame.h)}</g>`);
  parts.push(nestedSvg(axes, 0, top));
  parts.push(
    colorBar({
      x: width - MARGIN.right + 14,
      y: top + MARGIN.top,
      height: frame.h,
      domain: spec.domain,
      label: escapeXml(spec.colorLabel),
      format: (v) => v.toFixed(Math.abs(v) >= 1 ? 1 : 3),
    }),
  );
  return composeSvg({ width, height: top + height, title: spec.title ?? "Waterfall", parts, className: "waterfall" });
}
