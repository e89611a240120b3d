// Figures: what each one draws is checked in its SVG (paths, labels, legend, marks), the PNG by its header
// and its pixels, the Plotly HTML by its traces and its static fallback. Pulses are synthetic, so every
// expected number is known; nothing here needs the simulator, a broker or a kernel.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "../../src/plots/observable-plot";
import { analysePulse } from "../../src/beam/analysis";
import { pulseFromSamples, type Pulse } from "../../src/beam/decode";
import { BLM_COUNT, CHANNELS, INTENSITY_ROW, ROWS, SAMPLES, timeAxisMs } from "../../src/beam/layout";
import { HOT_COLOR, DEAD_COLOR } from "../../src/plots/colors";
import { decimateMinMax } from "../../src/plots/decimate";
import type { DisplayLike } from "../../src/kernel/display";
import { figureHtml, loadPlotly, resetPlotly, show } from "../../src/plots/show";
import { liveFrame } from "../../src/plots/live-frame";
import { lossBarChart } from "../../src/plots/loss-chart";
import { interactivePulsePlot, plotlyBundleHtml } from "../../src/plots/plotly";
import { savePulsePlot, saveFigure, svgToPng } from "../../src/plots/png";
import { pulsePlot } from "../../src/plots/pulse-plot";
import { waterfall } from "../../src/plots/waterfall";
import { lesson08 } from "../../src/lessons/lesson08";
import { TODO } from "../../src/lessons/exercise";

// ---------------------------------------------------------------- test data and helpers

/**
 * A pulse with known features: R1BLM3 (row 5) has the biggest loss bump (peak 0.23 V at 2.05 ms), R1BLM4 a
 * third of it, R2BLM3 a 3-sample spike at extraction; R0BLM1 (row 0) is dead, stuck at −4.9994 V as on the
 * real machine; R5IM steps down to about −3 V between injection and extraction.
 */
function syntheticPulse(options: { peakV?: number; deadRows?: number[]; seed?: number } = {}): Pulse {
  const peak = options.peakV ?? 0.23;
  const dead = new Set(options.deadRows ?? [0]);
  let state = options.seed ?? 1;
  const noise = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648 - 0.5) * 0.002;
  };
  const t = timeAxisMs();
  const data = new Float64Array(ROWS * SAMPLES);
  for (let row = 0; row < BLM_COUNT; row++) {
    for (let i = 0; i < SAMPLES; i++) {
      const bump = Math.exp(-(((t[i]! - 2.05) / 0.3) ** 2));
      let v = noise();
      if (row === 5) v += peak * bump;
      if (row === 6) v += 0.34 * peak * bump;
      if (row === 11 && i >= 1985 && i < 1988) v += 0.19;
      data[row * SAMPLES + i] = dead.has(row) ? -4.9994 : v;
    }
  }
  for (let i = 0; i < SAMPLES; i++) {
    const ti = t[i]!;
    data[INTENSITY_ROW * SAMPLES + i] = (ti > -0.3 && ti < 9.95 ? -3 + 0.02 * ti : 0.02) + noise() / 4;
  }
  return pulseFromSamples(data);
}

const pulse = syntheticPulse();
const analysis = analysePulse(pulse);

/** A DOM of some SVG/HTML text, for querying what a figure contains. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function dom(markup: string): any {
  return parseHTML(`<!DOCTYPE html><html><body>${markup}</body></html>`).document;
}

/** Width and height from a PNG's IHDR chunk (bytes 16–23). */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(b.toString("latin1", 1, 4), "PNG", "a PNG signature");
  assert.equal(b.toString("latin1", 12, 16), "IHDR", "IHDR comes first");
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Pixels that are not (nearly) white, counted in an RGBA buffer. */
function inkedPixels(rgba: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i]! < 235 || rgba[i + 1]! < 235 || rgba[i + 2]! < 235) n++;
  return n;
}

/** A display that records what it was given. */
function recorder(): DisplayLike & { calls: { kind: string; value: string | Uint8Array }[] } {
  const calls: { kind: string; value: string | Uint8Array }[] = [];
  return {
    calls,
    html: (value) => void calls.push({ kind: "html", value }),
    png: (value) => void calls.push({ kind: "png", value }),
  };
}

// ---------------------------------------------------------------- decimation

test("decimation keeps the smallest and the largest value of every bucket, in time order", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 600 }),
      fc.integer({ min: 1, max: 120 }),
      (values, buckets) => {
        const times = values.map((_, i) => i * 0.5);
        const out = decimateMinMax(times, values, buckets);
        assert.equal(out.times.length, out.values.length);
        if (values.length <= 2 * buckets) {
          assert.deepEqual([...out.values], values);
          return;
        }
        assert.ok(out.values.length <= 2 * buckets);
        for (let i = 1; i < out.times.length; i++) assert.ok(out.times[i]! > out.times[i - 1]!, "times increase");
        for (let b = 0; b < buckets; b++) {
          const from = Math.floor((b * values.length) / buckets);
          const to = Math.floor(((b + 1) * values.length) / buckets);
          const slice = values.slice(from, to);
          const kept = [...out.values].filter((_, k) => out.times[k]! >= times[from]! && out.times[k]! < (times[to] ?? Infinity));
          assert.ok(kept.includes(Math.min(...slice)), `bucket ${b} keeps its minimum`);
          assert.ok(kept.includes(Math.max(...slice)), `bucket ${b} keeps its maximum`);
        }
      },
    ),
  );
});

test("a one-sample spike survives decimation of a pulse trace, where every-n-th thinning loses it", () => {
  const trace = pulse.row(11); // R2BLM3: 0.19 V for 3 samples at extraction
  const { values } = decimateMinMax(pulse.timeMs, trace, 100);
  assert.ok(Math.max(...values) > 0.18);
  const everyTenth = trace.filter((_, i) => i % 22 === 0);
  assert.ok(Math.max(...everyTenth) < 0.01, "naive thinning would have dropped the spike");
});

test("decimation leaves a gap (NaN) where a bucket has no finite sample, and rejects bad input", () => {
  const gap = decimateMinMax([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, NaN, NaN, NaN, 7, 8, 9, 10], 3);
  assert.ok([...gap.values].some(Number.isNaN), "the all-NaN bucket leaves a NaN point");
  assert.throws(() => decimateMinMax([1, 2], [1], 1), /2 times but 1 values/);
  assert.throws(() => decimateMinMax([1], [1], 0), /invalid buckets: 0/);
});

// ---------------------------------------------------------------- pulse plot

test("the pulse plot draws all 39 BLMs (BLM 0 too) and the intensity, with labelled axes and a legend", () => {
  const svg = pulsePlot(pulse, { analysis });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const doc = dom(svg);
  const live = [...doc.querySelectorAll('g[aria-description="beam-loss monitors"] path')];
  const dead = [...doc.querySelectorAll('g[aria-description="dead channels"] path')];
  const intensity = [...doc.querySelectorAll('g[aria-description="intensity"] path')];
  assert.equal(live.length + dead.length, 39, "one path per beam-loss monitor");
  assert.equal(intensity.length, 1, "one intensity path");
  const names = [...live, ...dead].map((p) => p.querySelector("title")?.textContent);
  assert.deepEqual(new Set(names), new Set(CHANNELS.slice(0, BLM_COUNT)), "every BLM by name, R0BLM1 included");
  const text = [...doc.querySelectorAll("text")].map((t) => t.textContent).join("\n");
  for (const label of ["Time (ms)", "Beam loss (V)", "Intensity (V, negated)"]) assert.ok(text.includes(label), `axis label ${label}`);
  const legend = [...doc.querySelectorAll(".legend-item")].map((g) => g.getAttribute("aria-label"));
  for (let sp = 0; sp <= 9; sp++) assert.ok(legend.includes(`R${sp}`), `legend entry R${sp}`);
  // The intensity is drawn negated: its path goes up (smaller y) between injection and extraction.
  assert.ok(text.includes("R5IM intensity (negated)"));
});

test("the pulse plot marks a dead channel: grey, dashed, named in the legend and in a note", () => {
  const doc = dom(pulsePlot(pulse, { analysis }));
  const deadGroup = doc.querySelector('g[aria-description="dead channels"]');
  assert.ok(deadGroup, "a group for dead channels");
  assert.equal(deadGroup.getAttribute("stroke"), DEAD_COLOR);
  assert.ok(deadGroup.getAttribute("stroke-dasharray"), "dashed");
  assert.equal(deadGroup.querySelector("path title")?.textContent, "R0BLM1");
  const legend = [...doc.querySelectorAll(".legend-item")].map((g) => g.getAttribute("aria-label"));
  assert.ok(legend.includes("R0BLM1: dead channel"));
  assert.match(doc.querySelector('g[aria-description="dead channel note"]')?.textContent ?? "", /R0BLM1 \(reads -5\.00 V\)/);
  // With no dead channel there is neither group nor note.
  const healthy = syntheticPulse({ deadRows: [] });
  const clean = dom(pulsePlot(healthy));
  assert.equal(clean.querySelector('g[aria-description="dead channels"]'), null);
  assert.equal(clean.querySelectorAll('g[aria-description="beam-loss monitors"] path').length, 39);
});

test("the dead channel does not squash the others: the loss axis spans the live signals", () => {
  const doc = dom(pulsePlot(pulse, { analysis }));
  const ticks = [...doc.querySelectorAll("svg")]
    .flatMap((s) => [...s.querySelectorAll('g[aria-label="y-axis tick label"] text')])
    .map((t) => Number(t.textContent?.replace("−", "-")));
  assert.ok(ticks.length > 0);
  assert.ok(Math.min(...ticks) > -1, `the y ticks stay near the signals (lowest ${Math.min(...ticks)}), not at −5 V`);
});

// ---------------------------------------------------------------- PNG

test("a PNG of the pulse plot has the expected size, and is neither blank nor without text", () => {
  const svg = pulsePlot(pulse, { analysis });
  const height = Number(/height="(\d+)"/.exec(svg)![1]);
  const { png, width: w, height: h } = svgToPng(svg);
  assert.deepEqual(pngSize(png), { width: 1920, height: 2 * height });
  assert.deepEqual({ width: w, height: h }, { width: 1920, height: 2 * height });
  assert.deepEqual(pngSize(svgToPng(svg, { width: 1000 }).png).width, 1000);

  const withText = new Resvg(svg, {
    font: {
      fontFiles: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
      loadSystemFonts: false,
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
    },
  }).render();
  const noText = new Resvg(svg, { font: { fontFiles: [], loadSystemFonts: false } }).render();
  const inked = inkedPixels(withText.pixels);
  assert.ok(inked > 0.02 * withText.width * withText.height, `lines and text are drawn (${inked} inked pixels)`);
  assert.ok(inked - inkedPixels(noText.pixels) > 2000, "the fonts draw text: labels, ticks and legend");
});

test("savePulsePlot writes beamplot.png (and .svg) where it is told", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "learning-mqtt-plots-"));
  try {
    const saved = savePulsePlot(pulse, path.join(dir, "beamplot.png"));
    assert.equal(saved.format, "png");
    assert.deepEqual(pngSize(readFileSync(saved.path)), { width: saved.width, height: saved.height });
    assert.equal(saved.width, 1920);
    const svg = savePulsePlot(pulse, path.join(dir, "beamplot.svg"));
    assert.equal(svg.format, "svg");
    assert.match(readFileSync(svg.path, "utf8"), /^<svg xmlns=/);
    assert.throws(() => saveFigure("<svg/>", path.join(dir, "beamplot.jpg")), /use a name ending in \.png or \.svg/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------- loss bar chart

test("the loss bar chart has 39 bars: the hottest in red with its value, the dead one grey and marked", () => {
  const doc = dom(lossBarChart(analysis));
  const bars = [...doc.querySelectorAll('g[aria-description="loss bars"] rect')];
  assert.equal(bars.length, 39);
  const titles = bars.map((b) => b.querySelector("title")?.textContent ?? "");
  assert.equal(analysis.hottestBlm, "R1BLM3");
  const hot = bars.filter((b) => b.getAttribute("fill") === HOT_COLOR);
  assert.equal(hot.length, 1, "exactly one bar is highlighted");
  assert.match(hot[0]!.querySelector("title")?.textContent ?? "", /^R1BLM3: 0\.\d+ V·ms$/);
  assert.ok(titles.includes("R0BLM1: dead channel"));
  assert.equal(bars.find((b) => b.querySelector("title")?.textContent === "R0BLM1: dead channel")?.getAttribute("fill"), DEAD_COLOR);
  assert.match(doc.querySelector('g[aria-description="hottest label"]')?.textContent ?? "", /R1BLM3 0\.\d{3} V·ms/);
  assert.equal(doc.querySelector('g[aria-description="dead labels"]')?.textContent, "dead");
  const text = [...doc.querySelectorAll("text")].map((t) => t.textContent).join("\n");
  assert.ok(text.includes("Loss integral (V·ms)"));
  for (const name of CHANNELS.slice(0, BLM_COUNT)) assert.ok(text.includes(name), `tick label ${name}`);
});

// ---------------------------------------------------------------- waterfall

function imageOf(svg: string): { width: number; height: number } {
  const href = /href="data:image\/png;base64,([^"]+)"/.exec(svg)?.[1];
  assert.ok(href, "the heatmap is an embedded PNG");
  return pngSize(Buffer.from(href, "base64"));
}

test("the waterfall of pulses has one row per pulse and one column per time bucket", () => {
  const pulses = [0.1, 0.2, 0.3, 0.4].map((peakV, seed) => syntheticPulse({ peakV, seed }));
  const svg = waterfall(pulses, { buckets: 100 });
  const { width, height } = imageOf(svg);
  assert.equal(width % 100, 0, "whole blocks per bucket");
  assert.equal(height % 4, 0, "whole blocks per pulse");
  const text = [...dom(svg).querySelectorAll("text")].map((t) => t.textContent).join("\n");
  assert.ok(text.includes("Time (ms)") && text.includes("R1BLM3 (V)"));
  assert.throws(() => waterfall([]), /no pulses/);
  assert.throws(() => waterfall(pulses, { channel: "R0BLM2" }), /unknown channel: R0BLM2/);
});

test("the waterfall of analyses (e.g. a monitor's history) has one column per BLM", () => {
  const analyses = [0.1, 0.5, 0.2].map((peakV, seed) => analysePulse(syntheticPulse({ peakV, seed })));
  const svg = waterfall(analyses.map((a, i) => ({ seq: 10 + i, receivedAt: i, analysis: a })));
  const { width, height } = imageOf(svg);
  assert.equal(width % 39, 0);
  assert.equal(height % 3, 0);
  const text = [...dom(svg).querySelectorAll("text")].map((t) => t.textContent).join("\n");
  assert.ok(text.includes("Loss integral (V·ms)"));
  assert.ok(text.includes("R9BLM4") && text.includes("R0BLM1"));
  assert.ok(waterfall(analyses).length > 0, "bare analyses work too");
});

// ---------------------------------------------------------------- Plotly

/** The figure spec inside the HTML's script. */
function specOf(html: string): {
  data: { name: string; hovertemplate: string; yaxis: string; visible?: string }[];
  layout: Record<string, unknown>;
} {
  const json = /var spec = (\{.*\});\n/.exec(html)?.[1];
  assert.ok(json, "the script holds the figure spec");
  return JSON.parse(json);
}

test("the Plotly figure has 40 traces with channel names, hover text, a shared time axis and a static fallback", () => {
  const figure = interactivePulsePlot(pulse, { analysis });
  const html = figure.html();
  const spec = specOf(html);
  assert.equal(spec.data.length, 40);
  const names = spec.data.map((t) => t.name);
  for (const name of CHANNELS.slice(1, BLM_COUNT)) assert.ok(names.includes(name), `trace ${name}`);
  assert.ok(names.includes("R0BLM1 (dead)"));
  assert.equal(spec.data.find((t) => t.name === "R0BLM1 (dead)")?.visible, "legendonly");
  assert.ok(names.includes("R5IM intensity (negated)"));
  assert.equal(spec.data.filter((t) => t.yaxis === "y2").length, 1, "the intensity has its own panel");
  for (const t of spec.data) assert.match(t.hovertemplate, /%\{y:\.4f\} V at %\{x:\.3f\} ms/);
  assert.match(spec.data[5]!.hovertemplate, /<b>R1BLM3<\/b>/);
  assert.equal((spec.layout.xaxis as { title: { text: string } }).title.text, "Time (ms)");
  // The fallback: an <img> of the static SVG (it survives Jupyter's sanitisers, where inline <svg> does not).
  const doc = dom(html);
  const img = doc.querySelector("img.lm-plotly-fallback");
  assert.ok(img);
  const src = img.getAttribute("src") ?? "";
  assert.match(src, /^data:image\/svg\+xml;base64,/);
  const fallback = Buffer.from(src.split(",")[1]!, "base64").toString("utf8");
  assert.equal(fallback, figure.fallbackSvg);
  assert.equal(dom(fallback).querySelectorAll('g[aria-description="beam-loss monitors"] path').length, 38);
  assert.doesNotMatch(html, /<\/script>[\s\S]*<\/script>[\s\S]*<\/script>/, "one script: plotly.js is not in the figure");
  assert.ok(!html.includes("plotly.js v"), "no bundle unless asked");
});

test("plotly.js goes into the page once per session: with the first figure, or by loadPlotly()", () => {
  resetPlotly();
  const display = recorder();
  const figure = interactivePulsePlot(pulse, { analysis });
  show(figure, { display });
  show(figure, { display });
  const [first, second] = display.calls.map((c) => c.value as string);
  assert.equal(display.calls[0]!.kind, "html");
  assert.ok(first!.includes("plotly.js v") && first!.includes("window.Plotly"), "the first figure brings plotly.js");
  assert.ok(!second!.includes("plotly.js v"), "the second reuses window.Plotly");
  assert.ok(first!.length > 3_000_000 && second!.length < 1_500_000);

  resetPlotly();
  const again = recorder();
  loadPlotly({ display: again });
  show(figure, { display: again });
  assert.ok((again.calls[0]!.value as string).includes("plotly.js v"));
  assert.ok(!(again.calls[1]!.value as string).includes("plotly.js v"));
  // The bundle cannot end its script early, and defines Plotly only once.
  const bundle = plotlyBundleHtml();
  assert.equal(bundle.match(/<\/script>/g)?.length, 2);
  assert.match(bundle, /if \(!window\.Plotly\)/);
});

test("show() takes what a student makes with Observable Plot: its SVG, with the namespace an image needs", () => {
  const display = recorder();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an ES module, as a student imports it
  const Plot = require("@observablehq/plot") as { plot(o: object): { outerHTML: string }; lineY(d: unknown, o?: object): object };
  const { document } = parseHTML("<html><body></body></html>");
  show(Plot.plot({ document, marks: [Plot.lineY(pulse.channel("R1BLM3"), { x: timeAxisMs() })] }), { display });
  const html = display.calls[0]!.value as string;
  const img = dom(html).querySelector(".lm-figure > img.lm-figure-img");
  const svg = Buffer.from(img.getAttribute("src").split(",")[1], "base64").toString("utf8");
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(new Resvg(svg).render().width > 0, "the image renders");
});

test("show() sends an SVG figure as HTML: inline SVG, and the same picture as an image for sanitising viewers", () => {
  const display = recorder();
  const svg = pulsePlot(pulse, { analysis });
  show(svg, { display });
  show("<p>hello</p>", { display });
  show(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>').png, { display });
  assert.deepEqual(
    display.calls.map((c) => c.kind),
    ["html", "html", "png"],
  );
  const html = display.calls[0]!.value as string;
  const doc = dom(html);
  const inline = doc.querySelector(".lm-figure > .lm-figure-svg");
  assert.ok(inline.hasAttribute("hidden"), "hidden unless the <style> shows it");
  assert.equal(inline.querySelector("svg").outerHTML.length > 1000, true);
  assert.match(
    doc.querySelector(".lm-figure > style").textContent,
    /\.lm-figure-svg\{display:block!important\}.*\.lm-figure-img\{display:none!important\}/,
  );
  const img = doc.querySelector(".lm-figure > img.lm-figure-img");
  assert.equal(Buffer.from(img.getAttribute("src").split(",")[1], "base64").toString("utf8"), svg);
  assert.equal(img.getAttribute("alt"), "One ISIS pulse: 39 beam-loss monitors and the intensity");
  assert.equal(display.calls[1]!.value, "<p>hello</p>");
  assert.equal(figureHtml(svg, { fallback: false }), `<div class="lm-figure">${svg}</div>`);
});

// ---------------------------------------------------------------- live frame

test("a live frame shows the status lines, the newest pulse and the rolling history of the hottest monitors", () => {
  const history = [0.1, 0.3, 0.2].map((peakV, i) => ({
    seq: i + 1,
    receivedAt: 1000 + 20 * i,
    analysis: analysePulse(syntheticPulse({ peakV, seed: i })),
  }));
  const svg = liveFrame({ pulse, analysis, seq: 3, history, status: ["Live view · pulse #3", "received 3 · skipped 2"], hottest: 4 });
  const doc = dom(svg);
  const status = [...doc.querySelectorAll("text.live-status")].map((t) => t.textContent);
  assert.deepEqual(status, ["Live view · pulse #3", "received 3 · skipped 2"]);
  assert.equal(doc.querySelectorAll('g[aria-description="beam-loss monitors"] path').length, 38);
  const lines = [...doc.querySelectorAll('g[aria-description="loss history"] path')].map((p) => p.querySelector("title")?.textContent);
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "R1BLM3", "the hottest first");
  const waiting = liveFrame({ history: [], status: ["Live view"] });
  assert.match(waiting, /waiting for the first pulse/);
});

// ---------------------------------------------------------------- lesson 8's exercises

test("the hottest-monitor exercise says correct, not quite (and why), or not tried yet", () => {
  const check = (answer: unknown) => lesson08.hottestMonitor.check(answer, pulse);
  assert.equal(check(TODO).kind, "blank");
  assert.equal(check("R1BLM3").kind, "correct");
  assert.match(check("r1blm3 ").message, /capitals/);
  assert.equal(check("r1blm3").kind, "correct");
  assert.match(check("R1BLM4").message, /second hottest/);
  assert.match(check("R0BLM1").message, /dead channel/);
  assert.match(check("R5IM").message, /intensity monitor/);
  assert.match(check("R1BLM1").message, /right superperiod/);
  assert.match(check("R7BLM2").message, /lost only/);
  assert.match(check(5).message, /row number.*"R1BLM3"/);
  assert.match(check("R0BLM2").message, /R0 has no BLM2/);
  assert.match(check(true).message, /in quotes/);
});

test("the dead-monitor exercise recognises R0BLM1 and explains why a live one is not dead", () => {
  const check = (answer: unknown) => lesson08.deadMonitor.check(answer, pulse);
  assert.equal(check(TODO).kind, "blank");
  assert.equal(check("R0BLM1").kind, "correct");
  assert.match(check("R1BLM3").message, /is alive: its readings change/);
  assert.match(check("R5IM").message, /intensity/);
  assert.match(lesson08.deadMonitor.hintText(), /Hint 1 of 2/);
});
