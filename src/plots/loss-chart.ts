import type { PulseAnalysis } from "../beam/analysis";
import { BLM_COUNT, CHANNELS } from "../beam/layout";
import { BAR_COLOR, DEAD_COLOR, HOT_COLOR } from "./colors";
import { Plot } from "./observable-plot";
import { composeSvg, escapeXml, nestedSvg, plotDocument, type PlotElement } from "./figure-dom";
import { legendSvg } from "./legend";

/** Options of {@link lossBarChart}. */
export interface LossBarChartOptions {
  /** Figure width in px (default 960). */
  width?: number;
  /** Height of the chart in px, without title and legend (default 360). */
  height?: number;
  /** A title; null for none. Default: "Beam loss per monitor (loss integral)". */
  title?: string | null;
}

/**
 * A bar chart of the loss integral (V·ms) of each of the 39 beam-loss monitors, in ring order.
 * The hottest monitor is red and labelled with its value; dead channels (no signal, so no integral)
 * get a grey bar across the whole chart marked "dead". Returns standalone SVG text.
 * @example
 * show(lossBarChart(analysePulse(pulse)));
 */
export function lossBarChart(
  analysis: Pick<PulseAnalysis, "lossIntegralVms" | "hottestBlm" | "deadChannels">,
  options: LossBarChartOptions = {},
): string {
  const width = options.width ?? 960;
  const height = options.height ?? 360;
  const title = options.title === undefined ? "Beam loss per monitor (loss integral)" : options.title;
  if (analysis.lossIntegralVms.length !== BLM_COUNT) {
    throw new RangeError(`invalid analysis: ${analysis.lossIntegralVms.length} loss integrals, expected ${BLM_COUNT}`);
  }
  const dead = new Set(analysis.deadChannels);
  const bars = CHANNELS.slice(0, BLM_COUNT).map((name, row) => {
    const value = analysis.lossIntegralVms[row]!;
    const isDead = dead.has(name) || !Number.isFinite(value);
    return { name, row, value, dead: isDead, hot: name === analysis.hottestBlm };
  });
  const values = bars.filter((b) => !b.dead).map((b) => b.value);
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const pad = (hi - lo || 0.01) * 0.12;
  const domain: [number, number] = [lo - (lo < 0 ? pad / 2 : 0), hi + pad];

  const hot = bars.find((b) => b.hot && !b.dead);
  const chart = Plot.plot({
    document: plotDocument(),
    width,
    height,
    marginLeft: 64,
    marginRight: 20,
    marginTop: 10,
    marginBottom: 62,
    style: { fontSize: "11px" },
    x: { domain: bars.map((b) => b.name), label: null, tickRotate: -60, padding: 0.15 },
    y: { domain, grid: true, label: "Loss integral (V·ms)", labelArrow: "none", labelAnchor: "center", labelOffset: 48 },
    color: { type: "identity" },
    marks: [
      Plot.barY(bars, {
        x: "name",
        y1: (b: Bar) => (b.dead ? domain[0] : 0),
        y2: (b: Bar) => (b.dead ? domain[1] : b.value),
        fill: (b: Bar) => (b.dead ? DEAD_COLOR : b.hot ? HOT_COLOR : BAR_COLOR),
        fillOpacity: (b: Bar) => (b.dead ? 0.35 : 1),
        title: (b: Bar) => (b.dead ? `${b.name}: dead channel` : `${b.name}: ${b.value.toFixed(4)} V·ms`),
        ariaDescription: "loss bars",
      }),
      Plot.ruleY([0], { stroke: "#555555" }),
      Plot.text(
        bars.filter((b) => b.dead),
        { x: "name", y: (domain[0] + domain[1]) / 2, text: () => "dead", rotate: -90, fill: "#333333", ariaDescription: "dead labels" },
      ),
      ...(hot
        ? [
            Plot.text([hot], {
              x: "name",
              y: "value",
              text: (b: Bar) => `${b.name} ${b.value.toFixed(3)} V·ms`,
              dy: -8,
              textAnchor: "start",
              dx: -6,
              fill: HOT_COLOR,
              fontWeight: "bold",
              ariaDescription: "hottest label",
            }),
          ]
        : []),
    ],
  }) as unknown as PlotElement;

  const parts: string[] = [];
  let y = 0;
  if (title) {
    parts.push(`<text x="64" y="18" font-size="15" font-weight="bold" text-anchor="start">${escapeXml(title)}</text>`);
    y += 26;
  }
  const legend = legendSvg(
    [
      { label: hot ? `hottest: ${hot.name}` : "hottest: none", color: HOT_COLOR, strokeWidth: 8 },
      { label: "other monitors", color: BAR_COLOR, strokeWidth: 8 },
      ...(dead.size > 0 ? [{ label: `dead: ${[...dead].join(", ")}`, color: DEAD_COLOR, strokeWidth: 8 }] : []),
    ],
    { width: width - 84, x: 64, y },
  );
  parts.push(legend.svg);
  y += legend.height + 4;
  parts.push(nestedSvg(chart, 0, y));
  return composeSvg({ width, height: y + height, title: title ?? "Beam loss per monitor", parts, className: "loss-bar-chart" });
}

interface Bar {
  name: string;
  row: number;
  value: number;
  dead: boolean;
  hot: boolean;
}
