// The figures' HTML through JupyterLab's own sanitiser (@jupyterlab/apputils' Sanitizer, the version JupyterLab
// 4 and Notebook 7 ship): what an untrusted notebook shows there. The design of the fallback relies on it
// removing <style>, <script> and the inline SVG's tags while keeping a data: image and inline display:none.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { Sanitizer } from "@jupyterlab/apputils/lib/sanitizer";
import { parseHTML } from "linkedom";
import { BeamSimulator, interactivePulsePlot, loadPlotly, pulseFromSamples, pulsePlot, show, type DisplayLike } from "../../src/index";
import { resetPlotly } from "../../src/plots/show";

const REPO = path.resolve(__dirname, "../..");
const pulse = pulseFromSamples(new BeamSimulator({ seed: 7 }).nextPulse());

/** The HTML that show() sends to the notebook, as a recorder display receives it. */
function htmlOf(draw: (display: DisplayLike) => void): string {
  const sent: string[] = [];
  draw({ html: (html) => sent.push(html), png: () => assert.fail("a PNG was sent") });
  assert.equal(sent.length, 1);
  return sent[0]!;
}

type El = {
  getAttribute(name: string): string | null;
  querySelector(s: string): El | null;
  querySelectorAll(s: string): ArrayLike<El>;
  textContent: string;
};
const dom = (html: string) => parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`).document as unknown as El;
const decoded = (src: string | null) => Buffer.from((src ?? "").replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString("utf8");

test("a static figure, sanitised as in an untrusted notebook: its image shows, the SVG's leftovers stay hidden", () => {
  const svg = pulsePlot(pulse);
  const html = htmlOf((display) => show(svg, { display }));
  const clean = new Sanitizer().sanitize(html);

  // Trusted: the <style> shows the inline SVG and hides its image copy. Sanitised: both rules are gone …
  assert.match(html, /<style>/);
  assert.doesNotMatch(clean, /<style|<svg|<path|<script/i, "no style, no SVG tags, no script survive");
  const page = dom(clean);
  // … the image stays, with the whole figure in its data: URL …
  const img = page.querySelector(".lm-figure > img.lm-figure-img");
  assert.ok(img, "the fallback image survives");
  assert.equal(decoded(img.getAttribute("src")), svg, "its data: URL holds the same SVG");
  assert.doesNotMatch(img.getAttribute("style") ?? "", /display\s*:\s*none/, "and nothing hides it");
  assert.match(img.getAttribute("alt") ?? "", /pulse|beam|monitor/i, "with alt text from the SVG's title");
  // … and what is left of the inline SVG (the text of its labels) is inside an element that stays hidden.
  const leftover = page.querySelector(".lm-figure > .lm-figure-svg");
  assert.ok(leftover);
  assert.match(leftover.getAttribute("style") ?? "", /display\s*:\s*none/, "the SVG's leftover text is hidden");
  assert.match(leftover.textContent, /Time \(ms\)/, "(that leftover is the labels' text, which would otherwise show)");
});

test("the interactive figure, sanitised: no script, its static picture and note show", () => {
  resetPlotly();
  const html = htmlOf((display) => show(interactivePulsePlot(pulse), { display }));
  assert.match(html, /<script/, "plotly.js and the drawing script go along when trusted");
  const clean = new Sanitizer().sanitize(html);
  assert.doesNotMatch(clean, /<script|Plotly\.newPlot/, "no script survives");
  const page = dom(clean);
  const img = page.querySelector(".lm-plotly > img.lm-plotly-fallback");
  assert.ok(img, "the static picture survives");
  assert.match(decoded(img.getAttribute("src")), /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, "as a standalone SVG");
  assert.match(page.querySelector(".lm-plotly > .lm-plotly-note")?.textContent ?? "", /Static picture\. The interactive version/);
});

test("loadPlotly's output, sanitised: only its note is left (plotly.js is not run)", () => {
  const html = htmlOf((display) => loadPlotly({ display }));
  const clean = new Sanitizer().sanitize(html);
  assert.ok(html.length > 1_000_000, "plotly.js travels in the output when trusted");
  assert.ok(clean.length < 1_000, `sanitised, ${clean.length} characters are left`);
  assert.match(clean, /trust the notebook or run this cell again/);
});

test("the Sanitizer from npm is the one the project's JupyterLab ships", (t) => {
  const built = path.join(REPO, ".venv", "share", "jupyter", "lab", "static", "package.json");
  if (!existsSync(built)) {
    t.skip("no .venv: nothing to compare with (npm test makes it when PyPI can be reached)");
    return;
  }
  const lab = JSON.parse(readFileSync(built, "utf8")) as { version: string; resolutions: Record<string, string> };
  const ours = (
    JSON.parse(readFileSync(path.join(REPO, "node_modules", "@jupyterlab", "apputils", "package.json"), "utf8")) as { version: string }
  ).version;
  assert.equal(
    lab.resolutions["@jupyterlab/apputils"],
    `~${ours}`,
    `JupyterLab ${lab.version} ships @jupyterlab/apputils ${lab.resolutions["@jupyterlab/apputils"]}; package.json pins ${ours}`,
  );
});
