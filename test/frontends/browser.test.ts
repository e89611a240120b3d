// What a student sees: lesson 8 is executed through the real kernel and exported to HTML (the runner's --html),
// then opened in Debian's chromium. The static figures must be drawn as SVG, and the Plotly figure must replace
// its static picture and answer hover — with no network (plotly.js comes from the notebook itself).
// Screenshots are kept in out/screenshots/ (git-ignored) for a human to look at.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { CHROMIUM, inkedPixels, launchChromium, REPO } from "../helpers/jupyter-server";

const OUT = path.join(REPO, "out", "browser-test");
const SHOTS = path.join(REPO, "out", "screenshots");
const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (npm test installs it); CI requires it` : false;

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

/** The newest modification time under a folder (recursively). */
function newest(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const full = path.join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }, 0);
}

async function screenshot(page: Page, selector: string, name: string): Promise<string> {
  const file = path.join(SHOTS, name);
  const png = await page.locator(selector).first().screenshot({ path: file });
  const { inked, total } = inkedPixels(png);
  assert.ok(inked > 0.02 * total, `${name}: ${inked} of ${total} pixels drawn`);
  return file;
}

test("lesson 8 exported to HTML shows its SVG figures and a working Plotly figure in chromium", { skip, timeout: 300_000 }, async () => {
  // The notebook imports the compiled package: build it if src/ changed since.
  const dist = path.join(REPO, "dist", "index.js");
  if (!existsSync(dist) || statSync(dist).mtimeMs < newest(path.join(REPO, "src"))) {
    const build = await run("npm", ["run", "build"]);
    assert.equal(build.code, 0, build.output);
  }
  const executed = await run(process.execPath, [
    path.join(REPO, "scripts", "run-notebooks.mjs"),
    "--html",
    "--out",
    OUT,
    path.join(REPO, "notebooks", "08-plotting.ipynb"),
  ]);
  assert.equal(executed.code, 0, executed.output);
  const html = path.join(OUT, "html", "08-plotting.html");
  assert.ok(existsSync(html), `the runner wrote ${html}`);
  mkdirSync(SHOTS, { recursive: true });

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    // No network: everything the figures need is in the page (nbconvert's CDN links simply fail).
    const remote: string[] = [];
    await page.route(/^https?:/, (route) => {
      remote.push(route.request().url());
      return route.abort();
    });
    await page.goto(pathToFileURL(html).href, { waitUntil: "domcontentloaded" });

    // The static figures: inline SVG (its image copy, for sanitising viewers, stays hidden).
    assert.ok(await page.locator(".lm-figure svg.pulse-plot").first().isVisible(), "the inline SVG is shown");
    assert.equal(await page.locator(".lm-figure img.lm-figure-img").first().isVisible(), false, "its image copy is not");
    const blmPaths = await page.locator('svg.pulse-plot g[aria-description="beam-loss monitors"] path').count();
    const deadPaths = await page.locator('svg.pulse-plot g[aria-description="dead channels"] path').count();
    assert.equal(blmPaths + deadPaths, 39, "39 BLM traces in the static pulse plot");
    assert.equal(await page.locator('svg.pulse-plot g[aria-description="intensity"] path').count(), 1);
    assert.equal(await page.locator('svg.loss-bar-chart g[aria-description="loss bars"] rect').count(), 39);
    const labels = await page.locator("svg.pulse-plot text").allTextContents();
    for (const label of ["Time (ms)", "Beam loss (V)", "Intensity (V, negated)"]) assert.ok(labels.includes(label), label);

    // The interactive figure: Plotly replaces the static picture.
    await page.waitForSelector(".lm-plotly .js-plotly-plot .main-svg", { timeout: 60_000 });
    await page.waitForFunction('document.querySelectorAll(".lm-plotly .lm-plotly-fallback").length === 0', null, { timeout: 10_000 });
    const traces = await page.locator(".lm-plotly .scatterlayer .trace").count();
    assert.equal(traces, 39, "38 live BLMs and the intensity are drawn (the dead channel is listed but hidden)");
    const legend = await page.locator(".lm-plotly .legend .traces").allTextContents();
    const entries = legend.filter((text) => !/^Superperiod R\d$|^Intensity$/.test(text)); // the rest are group titles
    assert.equal(entries.length, 40, "a legend entry per trace");
    for (const name of ["R0BLM1 (dead)", "R0BLM3", "R1BLM3", "R9BLM4", "R5IM intensity (negated)"]) assert.ok(entries.includes(name), name);
    assert.equal(legend.length - entries.length, 11, "grouped by superperiod R0–R9, plus the intensity");

    // Hover names the channel and its value.
    await page.evaluate(
      'window.Plotly.Fx.hover(document.querySelector(".lm-plotly .js-plotly-plot"), [{ curveNumber: 5, pointNumber: 200 }])',
    );
    const hover = await page.locator(".lm-plotly .hoverlayer .hovertext").first().textContent({ timeout: 5_000 });
    assert.match(hover ?? "", /R1BLM3.*-?\d+\.\d{4} V at \d+\.\d{3} ms/);

    // nbconvert's page tries to load MathJax from the network; hide its "Loading…" box from the screenshots.
    await page.addStyleTag({ content: "#MathJax_Message { display: none !important; }" });
    const shots = [
      await screenshot(page, "svg.pulse-plot", "07-pulse-plot.png"),
      await screenshot(page, "svg.loss-bar-chart", "07-loss-bar-chart.png"),
      await screenshot(page, ".lm-plotly", "07-plotly.png"),
    ];
    writeFileSync(
      path.join(SHOTS, "README.txt"),
      `Screenshots from test/browser.test.ts (${new Date().toISOString()}):\n${shots.map((s) => path.relative(REPO, s)).join("\n")}\n`,
    );
    assert.deepEqual(errors, [], "no script errors in the page");
    assert.ok(
      remote.every((u) => !/plotly/i.test(u)),
      "plotly.js is never fetched from the network",
    );
  } finally {
    await browser.close();
  }
});
