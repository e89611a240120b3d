/**
 * Interactive pulse plots with plotly.js (from the installed plotly.js-dist-min: nothing is fetched from the
 * network). The figure is HTML for a notebook output:
 *
 *   <div id=…> <img src="data:image/svg+xml;base64,…"> static picture + a note </div>
 *   <script> draws the Plotly figure into the div once window.Plotly exists, replacing the picture </script>
 *
 * Where scripts do not run (an executed notebook opened untrusted, GitHub, a sanitiser) the picture stays:
 * an <img> survives Jupyter's HTML sanitisers, an inline <svg> would not (JupyterLab strips it).
 * plotly.js itself (≈ 4.8 MB) is not repeated in every figure: `plotlyBundleHtml()` is shown once per kernel
 * session (by loadPlotly(), or with the first interactive figure), and every figure waits for window.Plotly.
 */
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { analysePulse, type PulseAnalysis } from "../beam/analysis";
import type { Pulse } from "../beam/decode";
import { T_END_MS, T_START_MS } from "../beam/layout";
import { DEAD_COLOR, INTENSITY_COLOR, superperiodColor } from "./colors";
import { escapeXml } from "./figure-dom";
import { pulsePlot } from "./pulse-plot";
import { pulseTraces } from "./traces";

/** Options of {@link interactivePulsePlot}. */
export interface InteractivePlotOptions {
  /** Min/max decimation buckets per trace (default 400: at most 800 of the 2200 points; 1100 keeps all). */
  buckets?: number;
  /** Height in px (default 640). The width follows the notebook. */
  height?: number;
  /** Title (default "One ISIS pulse — drag to zoom, double-click to reset, click the legend to hide or show"). */
  title?: string;
  /** The pulse's analysis if you have it (for dead channels); computed otherwise. */
  analysis?: Pick<PulseAnalysis, "deadChannels">;
}

/** A Plotly trace as sent to the browser. */
export interface PlotlyTrace {
  type: "scatter";
  mode: "lines";
  name: string;
  x: number[];
  y: number[];
  xaxis: "x";
  yaxis: "y" | "y2";
  line: { color: string; width: number; dash?: string };
  legendgroup: string;
  legendgrouptitle?: { text: string };
  visible?: true | "legendonly";
  hovertemplate: string;
}

/** An interactive figure: its Plotly data, and the HTML that shows it in a notebook. */
export interface InteractiveFigure {
  readonly data: readonly PlotlyTrace[];
  readonly layout: Record<string, unknown>;
  readonly config: Record<string, unknown>;
  /** The static picture shown until (or where) Plotly cannot run: pulsePlot's SVG. */
  readonly fallbackSvg: string;
  /**
   * The notebook output: a container with the static picture and the script that draws the Plotly figure.
   * `includePlotly: true` puts plotly.js itself in front (once per session is enough; show() decides).
   */
  html(options?: { includePlotly?: boolean }): string;
}

/**
 * An interactive version of pulsePlot with plotly.js: drag to zoom (both panels share the time axis),
 * hover for the channel name and value, click legend entries to hide or show monitors (double-click to
 * show only one). All 39 BLMs, coloured by superperiod; dead channels are listed but hidden ("legendonly").
 * @example
 * show(interactivePulsePlot(pulse));
 */
export function interactivePulsePlot(pulse: Pulse, options: InteractivePlotOptions = {}): InteractiveFigure {
  const analysis = options.analysis ?? analysePulse(pulse);
  const { blms, intensity } = pulseTraces(pulse, analysis, options.buckets ?? 400);
  const round = (values: Float64Array, digits: number) => Array.from(values, (v) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : NaN));
  const seen = new Set<number>();
  const data: PlotlyTrace[] = blms.map((t) => {
    const first = !seen.has(t.superperiod);
    seen.add(t.superperiod);
    return {
      type: "scatter",
      mode: "lines",
      name: t.dead ? `${t.name} (dead)` : t.name,
      x: round(t.times, 4),
      y: round(t.values, 4), // 0.1 mV: finer than the monitors' 0.6 mV steps
      xaxis: "x",
      yaxis: "y",
      line: t.dead ? { color: DEAD_COLOR, width: 1.2, dash: "dash" } : { color: superperiodColor(t.superperiod), width: 1.2 },
      legendgroup: `R${t.superperiod}`,
      ...(first ? { legendgrouptitle: { text: `Superperiod R${t.superperiod}` } } : {}),
      // A dead channel reads e.g. −5 V: shown, it would squash everything else. Listed, off until clicked.
      ...(t.dead ? { visible: "legendonly" as const } : {}),
      hovertemplate: `<b>${t.name}</b>${t.dead ? " (dead)" : ""}<br>%{y:.4f} V at %{x:.3f} ms<extra></extra>`,
    };
  });
  data.push({
    type: "scatter",
    mode: "lines",
    name: "R5IM intensity (negated)",
    x: round(intensity.times, 4),
    y: round(intensity.values, 4),
    xaxis: "x",
    yaxis: "y2",
    line: { color: INTENSITY_COLOR, width: 1.6 },
    legendgroup: "intensity",
    legendgrouptitle: { text: "Intensity" },
    hovertemplate: "<b>R5IM</b> (negated)<br>%{y:.4f} V at %{x:.3f} ms<extra></extra>",
  });
  const height = options.height ?? 640;
  const layout: Record<string, unknown> = {
    title: { text: options.title ?? "One ISIS pulse — drag to zoom, double-click to reset, click the legend to hide or show" },
    height,
    margin: { l: 70, r: 20, t: 60, b: 50 },
    hovermode: "closest",
    showlegend: true,
    legend: { groupclick: "toggleitem", font: { size: 10 } },
    // One time axis for both panels: zooming one zooms the other.
    xaxis: { title: { text: "Time (ms)" }, range: [T_START_MS, T_END_MS], anchor: "y2", zeroline: false },
    yaxis: { title: { text: "Beam loss (V)" }, domain: [0.38, 1], zeroline: true },
    yaxis2: { title: { text: "Intensity (V, negated)" }, domain: [0, 0.3], zeroline: true },
    plot_bgcolor: "white",
  };
  const config: Record<string, unknown> = { responsive: true, displaylogo: false, scrollZoom: false };
  const fallbackSvg = pulsePlot(pulse, { analysis, buckets: 150, title: "One ISIS pulse (static picture)" });
  return {
    data,
    layout,
    config,
    fallbackSvg,
    html: ({ includePlotly = false } = {}) => (includePlotly ? plotlyBundleHtml() : "") + figureHtml(data, layout, config, fallbackSvg),
  };
}

/** The event a bundle fires once window.Plotly exists; waiting figures listen for it. */
const READY_EVENT = "learning-mqtt:plotly-ready";

function figureHtml(
  data: readonly PlotlyTrace[],
  layout: Record<string, unknown>,
  config: Record<string, unknown>,
  fallbackSvg: string,
): string {
  const id = `lm-plotly-${randomBytes(6).toString("hex")}`;
  const spec = scriptSafeJson({ data, layout, config });
  const img = `data:image/svg+xml;base64,${Buffer.from(fallbackSvg).toString("base64")}`;
  return `<div class="lm-plotly" id="${id}" style="width:100%;max-width:1100px">
<img class="lm-plotly-fallback" src="${img}" alt="${escapeXml("Static picture of the pulse: 39 beam-loss monitors and the negated intensity")}" style="max-width:100%;height:auto"/>
<div class="lm-plotly-note" style="font-size:12px;color:#666">Static picture. The interactive version (zoom, hover, legend) draws here when the notebook is trusted and its scripts run.</div>
</div>
<script type="text/javascript">
(function () {
  var id = ${JSON.stringify(id)};
  var spec = ${spec};
  var done = false;
  function draw() {
    if (done) return true;
    var box = document.getElementById(id);
    // Not in the page yet (classic Notebook runs scripts before inserting the output), or no plotly.js yet.
    if (!box || !window.Plotly) return false;
    done = true;
    var plot = document.createElement("div");
    plot.className = "lm-plotly-figure";
    box.appendChild(plot);
    window.Plotly.newPlot(plot, spec.data, spec.layout, spec.config).then(function () {
      var old = box.querySelectorAll(".lm-plotly-fallback, .lm-plotly-note");
      for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    });
    return true;
  }
  if (draw()) return;
  var waited = 0;
  function stop() { clearInterval(timer); window.removeEventListener(${JSON.stringify(READY_EVENT)}, retry); }
  function retry() { if (draw()) stop(); }
  window.addEventListener(${JSON.stringify(READY_EVENT)}, retry);
  var timer = setInterval(function () {
    if (draw()) return stop();
    waited += 200;
    if (waited >= 60000) {
      stop();
      var box = document.getElementById(id);
      var note = box && box.querySelector(".lm-plotly-note");
      if (note) note.textContent = "Static picture: plotly.js is not loaded in this page. Run the cell with loadPlotly() (near the top), then this one.";
    }
  }, 200);
})();
</script>`;
}

/** JSON that is safe inside a <script>: no "</script>" or "<!--" can appear in it. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

let bundle: string | undefined;

/** The version of the installed plotly.js. */
export function plotlyVersion(): string {
  return (JSON.parse(readFileSync(require.resolve("plotly.js-dist-min/package.json"), "utf8")) as { version: string }).version;
}

/**
 * plotly.js (the installed plotly.js-dist-min, ≈ 4.8 MB) as an HTML script that defines window.Plotly once
 * (a second copy does nothing) and tells waiting figures. Show it once per page: loadPlotly() does.
 */
export function plotlyBundleHtml(): string {
  bundle ??= readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8").replace(/<\/(script)/gi, "<\\/$1");
  return (
    `<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};</script>\n` +
    `<script type="text/javascript">\nif (!window.Plotly) {\n${bundle}\n}\n` +
    `window.dispatchEvent(new Event(${JSON.stringify(READY_EVENT)}));\n</script>\n`
  );
}
