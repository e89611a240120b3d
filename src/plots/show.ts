/**
 * src/plots/: figures of pulses and analyses — static ones drawn with Observable Plot (pulse-plot, loss-chart,
 * waterfall, live-frame), PNG files (png.ts), interactive Plotly (plotly.ts), and showing them (this file). It
 * may import beam/, kernel/ (displays) and the cross-cutting files; it knows nothing of MQTT.
 *
 * Showing figures in a notebook: SVG as HTML with an image fallback, PNG, and interactive Plotly figures.
 * Outside a notebook (tests, scripts) pass a `display` of your own.
 */
import { notebookDisplay, type DisplayLike } from "../kernel/display";
import { escapeXml } from "./figure-dom";
import { plotlyBundleHtml, plotlyVersion, type InteractiveFigure } from "./plotly";

/** A figure Observable Plot made (`Plot.plot(…)`): an SVG element, or an HTML figure around one. */
export interface PlotFigure {
  readonly outerHTML: string;
  readonly tagName?: string;
  setAttribute?(name: string, value: string): void;
}

/**
 * The same figure as Observable Plot's own types describe it, by its scale() and legend() methods. Needed where the
 * DOM's types exist only as the empty interfaces @types/react declares (a dev dependency brings it, and a tslab
 * kernel has no DOM library): there the element part of Plot's type has no outerHTML to match PlotFigure by.
 */
export interface ObservablePlotFigure {
  scale(name: never): unknown;
  legend(name: never, options?: never): unknown;
}

/** What show() can show: SVG or HTML text, PNG bytes, an interactive figure, or a figure Observable Plot made. */
export type Showable = string | Uint8Array | InteractiveFigure | PlotFigure | ObservablePlotFigure;

/**
 * An SVG figure as notebook HTML that shows everywhere:
 * - the SVG inline, so that it is crisp, its lines have tooltips, and nbconvert's HTML export keeps it
 *   (nbconvert 6.5–7 mangle `image/svg+xml` outputs: jupyter/nbconvert#1849, #1894);
 * - with `fallback` (default), the same picture as an `<img>`, for viewers that sanitise HTML (an untrusted
 *   notebook in JupyterLab or Notebook): they remove the `<style>`, the inline SVG's tags and the `hidden`
 *   attribute, so the inline copy stays hidden by its `style="display:none"` and the image shows; everywhere
 *   else the `<style>` shows the inline SVG instead.
 */
export function figureHtml(svg: string, options: { fallback?: boolean; alt?: string } = {}): string {
  if (!(options.fallback ?? true)) return `<div class="lm-figure">${svg}</div>`;
  const alt = escapeXml(options.alt ?? /<title>([^<]*)<\/title>/.exec(svg)?.[1] ?? "figure");
  return (
    `<div class="lm-figure">` +
    `<style>.lm-figure>.lm-figure-svg{display:block!important}.lm-figure>.lm-figure-img{display:none!important}</style>` +
    `<div class="lm-figure-svg" hidden style="display:none">${svg}</div>` +
    `<img class="lm-figure-img" alt="${alt}" style="max-width:100%;height:auto" src="data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}"/>` +
    `</div>`
  );
}

/** Whether plotly.js has been sent to the notebook page in this kernel session. */
let plotlySent = false;

/**
 * Shows a figure in the notebook: SVG text (pulsePlot, lossBarChart, waterfall) as HTML with the SVG inline
 * and an image fallback (see {@link figureHtml}), other text as HTML, bytes as a PNG, a figure made with
 * Observable Plot as its SVG, and an interactive figure as HTML — with plotly.js in front the first time in
 * this kernel session, unless loadPlotly() sent it.
 * @example
 * show(pulsePlot(pulse));
 * show(Plot.plot({ document, marks: [Plot.lineY(pulse.channel("R1BLM3"), { x: timeAxisMs() })] }));
 * show(interactivePulsePlot(pulse));
 */
export function show(figure: Showable, options: { display?: DisplayLike } = {}): void {
  const display = options.display ?? notebookDisplay();
  if (figure instanceof Uint8Array) display.png(figure);
  else if (typeof figure === "string") {
    display.html(/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(figure) ? figureHtml(figure) : figure);
  } else if ("html" in figure) {
    const includePlotly = !plotlySent;
    display.html(figure.html({ includePlotly }));
    plotlySent = true;
  } else {
    const element = figure as PlotFigure; // Plot's figure is an element, whatever the DOM's types say
    // A standalone SVG needs its namespace to show as an image too (Plot leaves it to the browser's page).
    if (element.tagName?.toLowerCase() === "svg") element.setAttribute?.("xmlns", "http://www.w3.org/2000/svg");
    show(element.outerHTML, { display });
  }
}

/**
 * Puts plotly.js (≈ 4.8 MB, from the installed package) into the notebook page once, for the interactive
 * figures below it. Run it in a cell near the top: when the notebook is saved and opened again (and
 * trusted), that output loads plotly.js for every figure. Running it again does no harm.
 * @example loadPlotly(); // "plotly.js 3.7.0 is ready for interactive figures"
 */
export function loadPlotly(options: { display?: DisplayLike } = {}): void {
  const display = options.display ?? notebookDisplay();
  display.html(
    plotlyBundleHtml() +
      `<div style="font-size:12px;color:#666">plotly.js ${plotlyVersion()} is loaded in this notebook for interactive figures ` +
      `(if they show only a static picture, trust the notebook or run this cell again).</div>`,
  );
  plotlySent = true;
}

/** Forgets that plotly.js was sent (for tests; and after the page was reloaded without its outputs). */
export function resetPlotly(): void {
  plotlySent = false;
}
