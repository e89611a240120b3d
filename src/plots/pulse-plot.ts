import { analysePulse, type PulseAnalysis } from "../beam/analysis";
import type { Pulse } from "../beam/decode";
import { T_END_MS, T_START_MS } from "../beam/layout";
import { DEAD_COLOR, DEAD_DASH, INTENSITY_COLOR, SUPERPERIOD_COLORS, superperiodColor } from "./colors";
import { Plot, type Mark } from "./observable-plot";
import { composeSvg, escapeXml, nestedSvg, plotDocument, type PlotElement } from "./figure-dom";
import { legendSvg, type LegendItem } from "./legend";
import { lines } from "./fast-lines";
import { DEFAULT_BUCKETS, extent, padded, pulseTraces, type Trace } from "./traces";

/** Options of {@link pulsePlot}. */
export interface PulsePlotOptions {
  /** Figure width in px (default 960). */
  width?: number;
  /** Height of the beam-loss panel in px (default 340). */
  lossHeight?: number;
  /** Height of the intensity panel in px (default 200). */
  intensityHeight?: number;
  /** Min/max decimation buckets per trace (default 300: at most 600 points per trace). */
  buckets?: number;
  /** The pulse's analysis, if you have it (it names the dead channels); computed otherwise. */
  analysis?: Pick<PulseAnalysis, "deadChannels">;
  /** A title at the top; null for none. Default: "One ISIS pulse: 39 beam-loss monitors and the intensity". */
  title?: string | null;
  /** Whether to draw the legend (default true). */
  legend?: boolean;
}

const MARGIN_LEFT = 64;
const MARGIN_RIGHT = 24;
const TITLE_HEIGHT = 26;

/**
 * Draws one pulse the way the original lesson meant to: all 39 beam-loss monitors (BLM 0 included)
 * against time in ms, coloured by superperiod, and below them, on a shared time axis, the intensity
 * R5IM negated so that more beam is up. Dead channels are drawn grey and dashed at the edge of the
 * panel and named. Long traces are min/max-decimated, so narrow loss peaks survive.
 * Returns standalone SVG text: show it with `show(svg)` or `tslab.display.svg(svg)`, save it with savePulsePlot.
 * @example
 * const pulse = new BeamSimulator({ seed: 1 }).nextPulse();
 * tslab.display.svg(pulsePlot(pulse));
 */
export function pulsePlot(pulse: Pulse, options: PulsePlotOptions = {}): string {
  const { parts, width, height, title } = pulseFigureParts(pulse, options);
  return composeSvg({ width, height, title: title ?? "ISIS pulse", parts, className: "pulse-plot" });
}

/** The pieces of pulsePlot's figure (SVG fragments placed top to bottom), for figures that contain it. */
export function pulseFigureParts(
  pulse: Pulse,
  options: PulsePlotOptions = {},
): { parts: string[]; width: number; height: number; title: string | null } {
  const width = options.width ?? 960;
  const lossHeight = options.lossHeight ?? 340;
  const intensityHeight = options.intensityHeight ?? 200;
  const analysis = options.analysis ?? analysePulse(pulse);
  const { blms, intensity } = pulseTraces(pulse, analysis, options.buckets ?? DEFAULT_BUCKETS);
  const title = options.title === undefined ? "One ISIS pulse: 39 beam-loss monitors and the intensity" : options.title;

  const live = blms.filter((t) => !t.dead);
  const dead = blms.filter((t) => t.dead);
  const parts: string[] = [];
  let y = 0;
  if (title) {
    parts.push(`<text x="${MARGIN_LEFT}" y="18" font-size="15" font-weight="bold" text-anchor="start">${escapeXml(title)}</text>`);
    y += TITLE_HEIGHT;
  }
  if (options.legend ?? true) {
    const items: LegendItem[] = SUPERPERIOD_COLORS.map((color, sp) => ({ label: `R${sp}`, color }));
    items.push({ label: "R5IM intensity (negated)", color: INTENSITY_COLOR });
    for (const t of dead) items.push({ label: `${t.name}: dead channel`, color: DEAD_COLOR, dash: DEAD_DASH });
    const legend = legendSvg(items, { width: width - MARGIN_LEFT - MARGIN_RIGHT, title: "Superperiod", x: MARGIN_LEFT, y });
    parts.push(legend.svg);
    y += legend.height + 4;
  }
  parts.push(nestedSvg(lossPanel(live, dead, width, lossHeight), 0, y));
  y += lossHeight;
  parts.push(nestedSvg(intensityPanel(intensity, width, intensityHeight), 0, y));
  y += intensityHeight;
  return { parts, width, height: y, title };
}

function lossPanel(live: readonly Trace[], dead: readonly Trace[], width: number, height: number): PlotElement {
  const domain = padded(extent(live) ?? [-0.01, 0.01]);
  const marks: Mark[] = [
    Plot.ruleY([0], { stroke: "#bbbbbb" }),
    lines(
      live.map((t) => ({ ...t, color: superperiodColor(t.superperiod) })),
      { strokeWidth: 1.1, ariaDescription: "beam-loss monitors" },
    ),
  ];
  if (dead.length > 0) {
    marks.push(
      // A dead channel (e.g. stuck at −5 V) is drawn along the panel's edge instead of squashing the others.
      lines(dead, { stroke: DEAD_COLOR, strokeDasharray: DEAD_DASH, strokeWidth: 1.5, clamp: domain, ariaDescription: "dead channels" }),
      Plot.text([deadNote(dead)], {
        x: T_END_MS,
        y: domain[0],
        textAnchor: "end",
        dx: -4,
        dy: -9,
        fill: "#555555",
        ariaDescription: "dead channel note",
      }),
    );
  }
  return Plot.plot({
    ...panelFrame(width, height, 22),
    x: { domain: [T_START_MS, T_END_MS], grid: true, label: null, tickFormat: () => "" },
    y: { domain, grid: true, label: "Beam loss (V)", labelArrow: "none", labelAnchor: "center", labelOffset: 48, nice: true },
    color: { type: "identity" },
    marks,
  }) as unknown as PlotElement;
}

/** What both panels share, so that their time axes line up: size, side margins, font. */
function panelFrame(width: number, height: number, marginBottom: number) {
  return {
    document: plotDocument(),
    width,
    height,
    marginLeft: MARGIN_LEFT,
    marginRight: MARGIN_RIGHT,
    marginTop: 8,
    marginBottom,
    style: { fontSize: "11px" },
  };
}

function deadNote(dead: readonly Trace[]): string {
  const names = dead.map((t) => {
    const v = t.values.find(Number.isFinite);
    return v === undefined ? t.name : `${t.name} (reads ${v.toFixed(2)} V)`;
  });
  return `dead, drawn at the edge: ${names.join(", ")}`;
}

function intensityPanel(intensity: Trace, width: number, height: number): PlotElement {
  const domain = padded(extent([intensity]) ?? [0, 1]);
  return Plot.plot({
    ...panelFrame(width, height, 38),
    x: { domain: [T_START_MS, T_END_MS], grid: true, label: "Time (ms)", labelArrow: "none", labelAnchor: "center" },
    // A rotated label longer than its panel is clipped (the live view's panel is 120 px): the legend says "negated" too.
    y: {
      domain,
      grid: true,
      label: height >= 160 ? "Intensity (V, negated)" : "Intensity (V)",
      labelArrow: "none",
      labelAnchor: "center",
      labelOffset: 48,
      nice: true,
    },
    marks: [
      Plot.ruleY([0], { stroke: "#bbbbbb" }),
      lines([{ ...intensity, name: "R5IM intensity (negated)" }], {
        stroke: INTENSITY_COLOR,
        strokeWidth: 1.5,
        ariaDescription: "intensity",
      }),
    ],
  }) as unknown as PlotElement;
}
