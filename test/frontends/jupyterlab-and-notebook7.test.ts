// The lessons where students open them today: JupyterLab 4 (`npm start -- --lab`) and Notebook 7 (`npm start`),
// both from the project's .venv, in Debian's chromium. As a student would: open a lesson, Run → Run All Cells,
// look. The plotting lesson (7): no error output, each static figure drawn (a non-blank screenshot), the Plotly figure drawn and
// answering the mouse; saved, then opened as a classmate gets it (untrusted): the figures' fallback images show.
// The live-view lesson (8): the live view updates one output in place while pulses arrive. Screenshots: out/screenshots/.
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, inkedPixels, launchChromium, REPO, startJupyter, venvFrontEnds, type JupyterServer } from "../helpers/jupyter-server";

const SHOTS = path.join(REPO, "out", "screenshots");
const venv = venvFrontEnds();
const noChromium = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (npm test installs it)` : false;

/** The lesson whose code has `marker` (found by content, so that renumbering the lessons changes nothing here). */
function lesson(marker: string): string {
  const found = readdirSync(path.join(REPO, "notebooks")).filter(
    (f) => f.endsWith(".ipynb") && readFileSync(path.join(REPO, "notebooks", f), "utf8").includes(marker),
  );
  assert.equal(found.length, 1, `one lesson uses ${marker}: ${found.join(", ")}`);
  return found[0]!;
}
const PLOTTING = lesson("interactivePulsePlot(");
/** The static figures of the plotting lesson: one monitor drawn with Plot.lineY, the pulse plot, the bar chart. */
const FIGURES = 3;
const LIVE = lesson("startSeparateFeed(");
const CLASSMATE = PLOTTING.replace(/\.ipynb$/, "-classmate.ipynb");
const shot = (key: string, lessonFile: string, what: string) => `${key}-${lessonFile.slice(0, 2)}-${what}.png`;

const FRONT_ENDS = [
  // ?reset: JupyterLab would otherwise reopen the earlier tests' notebooks beside this one (its workspace).
  { key: "lab", title: `JupyterLab ${venv.jupyterlab ?? "4"}`, flags: ["--lab"], url: (rel: string) => `/lab/tree/${rel}?reset&` },
  { key: "notebook", title: `Notebook ${venv.notebook ?? "7"}`, flags: [], url: (rel: string) => `/notebooks/${rel}?` },
] as const;

// Browser-side snippets are strings: this project type-checks without the DOM library.
const STDERR = `[...document.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')].map((e) => e.textContent.slice(0, 300))`;
const ALL_RAN = `(() => { const p = [...document.querySelectorAll(".jp-CodeCell .jp-InputArea-prompt")].map((e) => e.textContent.trim()); return p.length > 0 && p.every((t) => /^\\[\\d+\\]:$/.test(t)); })()`;

/** Screenshot of one element (scrolled into view) that must have ink on at least 2 % of its pixels. */
async function drawn(page: Page, selector: string, index: number, file: string): Promise<void> {
  const element = page.locator(selector).nth(index);
  await element.scrollIntoViewIfNeeded();
  assert.ok(await element.isVisible(), `${selector} #${index + 1} is visible`);
  const png = await element.screenshot({ path: path.join(SHOTS, file) });
  const { inked, total } = inkedPixels(png);
  // 1 %: one monitor's thin line with its axes inks 1.6 % of its box (measured in Notebook 7).
  assert.ok(inked > 0.01 * total, `${file}: only ${inked} of ${total} pixels are drawn`);
}

for (const frontEnd of FRONT_ENDS) {
  const skip = venv.reason ? `${frontEnd.key === "lab" ? "JupyterLab 4" : "Notebook 7"} not tested: ${venv.reason}` : noChromium;
  describe(
    `${frontEnd.title} (npm start${frontEnd.flags.length ? " -- " + frontEnd.flags.join(" ") : ""})`,
    { skip, timeout: 600_000 },
    () => {
      // Copies of the lessons, so that saving them never touches notebooks/ (the kernel still finds learning-mqtt
      // through node_modules above them, and lessons 7 and 8 link no files).
      const folder = path.join("out", "frontends", frontEnd.key);
      let server: JupyterServer;
      let browser: Browser;
      const pageErrors: string[] = [];
      const jupyterErrors: string[] = [];

      before(async () => {
        rmSync(path.join(REPO, folder), { recursive: true, force: true });
        mkdirSync(path.join(REPO, folder), { recursive: true });
        mkdirSync(SHOTS, { recursive: true });
        for (const lesson of [PLOTTING, LIVE]) copyFileSync(path.join(REPO, "notebooks", lesson), path.join(REPO, folder, lesson));
        server = await startJupyter([...frontEnd.flags]);
        browser = await launchChromium();
      });
      after(async () => {
        await browser?.close();
        await server?.stop();
      });

      type Session = { id: string; path: string; kernel: { execution_state: string; connections: number } | null };
      const sessionsOf = async (name: string) => (await server.api<Session[]>("/api/sessions")).filter((s) => s.path.endsWith(`/${name}`));

      /** Whether the notebook's kernel is idle with a websocket open (false, not a throw, while Jupyter settles). */
      async function kernelReady(name: string): Promise<boolean> {
        try {
          const sessions = await sessionsOf(name);
          return sessions.length > 0 && sessions.every((s) => s.kernel?.execution_state === "idle" && s.kernel.connections > 0);
        } catch {
          return false;
        }
      }

      /** Closes the page and shuts its notebook's kernel down (File → Close and Shut Down Notebook). */
      async function close(page: Page, name: string): Promise<void> {
        await page.close();
        for (const session of await sessionsOf(name)) await server.api(`/api/sessions/${session.id}`, "DELETE");
      }

      async function open(name: string): Promise<Page> {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on("pageerror", (error) => {
          // Jupyter's own bundles (/static/…) are not ours to fix: noted, not failed (Notebook 7.6 throws one on load).
          const own = /\/static\//.test((error.stack ?? "").split("\n")[1] ?? "");
          (own ? jupyterErrors : pageErrors).push(`${name}: ${error.message}`);
        });
        await page.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort()); // loopback only
        await page.goto(`${server.origin}${frontEnd.url(`${folder}/${name}`)}token=${server.token}`);
        // The kernel is started and connected: the toolbar's execution indicator (both front ends) says idle, and
        // the server has the page's websocket. (tslab takes ~2 s to answer kernel_info; a websocket opened before
        // that can fail once — jupyter_server#1265 — and the page reconnects. "Run All" in between would find no
        // kernel and ask to select one.)
        await page.waitForSelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', { timeout: 90_000 });
        for (let i = 0; i < 150 && !(await kernelReady(name)); i++) await new Promise((r) => setTimeout(r, 200));
        await page.waitForSelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', { timeout: 30_000 });
        return page;
      }

      /** Run → Run All Cells, as a student would; then until every code cell has its number and the kernel is idle. */
      async function runAll(page: Page, timeoutMs: number): Promise<void> {
        await clickRunAll(page);
        await page.waitForFunction(ALL_RAN, null, { timeout: timeoutMs, polling: 250 }).catch(async (error: Error) => {
          await page.screenshot({ path: path.join(SHOTS, `${frontEnd.key}-FAILED-run-all.png`) });
          throw new Error(`not every cell ran (screenshot: out/screenshots/${frontEnd.key}-FAILED-run-all.png): ${error.message}`);
        });
        const name = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() ?? "");
        for (let i = 0; i < 50 && !(await kernelReady(name)); i++) await new Promise((r) => setTimeout(r, 200));
        await page.waitForTimeout(1000); // a stream can land just after idle
      }

      async function clickRunAll(page: Page): Promise<void> {
        await page.getByRole("menuitem", { name: "Run", exact: true }).click();
        await page.getByRole("menuitem", { name: /^Run All Cells/ }).click();
        await page.waitForTimeout(500);
        if (await page.locator(".jp-Dialog").count()) {
          const file = `${frontEnd.key}-FAILED-dialog.png`;
          await page.screenshot({ path: path.join(SHOTS, file) });
          throw new Error(
            `Run All Cells opened a dialog instead of running (out/screenshots/${file}): ${await page.locator(".jp-Dialog").first().innerText()}`,
          );
        }
      }

      test("the only kernel offered is the lessons' own (a kernel picker cannot default to Python)", async () => {
        const specs = await server.api<{ default: string; kernelspecs: Record<string, unknown> }>("/api/kernelspecs");
        assert.deepEqual(Object.keys(specs.kernelspecs), ["learning-mqtt"]);
        assert.equal(specs.default, "learning-mqtt");
      });

      test("the plotting lesson runs through the page: no error output, static figures drawn, Plotly draws and answers hover", async () => {
        const version = frontEnd.key === "lab" ? `JupyterLab ${venv.jupyterlab}` : `Notebook ${venv.notebook}`;
        assert.ok(server.log().includes(`npm start: ${version} (.venv/bin/python)`), `npm start served ${version} from the .venv`);
        const page = await open(PLOTTING);
        await runAll(page, 180_000);
        assert.deepEqual(await page.evaluate(STDERR), [], "no cell wrote to stderr");

        // The static figures: the inline SVG is shown (its image copy, for sanitising viewers, is not).
        assert.equal(await page.locator(".lm-figure").count(), FIGURES, "one monitor's line, the pulse plot and the bar chart");
        for (let i = 0; i < FIGURES; i++) {
          assert.ok(await page.locator(".lm-figure .lm-figure-svg svg").nth(i).isVisible(), `figure ${i + 1}: inline SVG shown`);
          assert.equal(
            await page.locator(".lm-figure img.lm-figure-img").nth(i).isVisible(),
            false,
            `figure ${i + 1}: its image copy hidden`,
          );
          await drawn(page, ".lm-figure", i, shot(frontEnd.key, PLOTTING, `figure-${i + 1}`));
        }
        assert.equal(
          await page.locator('.lm-figure svg.pulse-plot g[aria-description="intensity"] path').count(),
          1,
          "the pulse plot has its intensity trace",
        );

        // The interactive figure replaces its static picture, and the mouse over the intensity line names it.
        await page.waitForSelector(".lm-plotly .js-plotly-plot .main-svg", { timeout: 60_000 });
        assert.equal(await page.locator(".lm-plotly .lm-plotly-fallback").count(), 0, "the static picture was replaced");
        assert.equal(await page.locator(".lm-plotly .scatterlayer .trace").count(), 39, "38 live BLMs and the intensity are drawn");
        await drawn(page, ".lm-plotly", 0, shot(frontEnd.key, PLOTTING, "plotly"));
        const line = page.locator(".lm-plotly .scatterlayer .trace").last().locator("path.js-line");
        const box = await line.boundingBox();
        assert.ok(box && box.width > 100, `the intensity line is on screen (${JSON.stringify(box)})`);
        await page.mouse.move(box.x + box.width / 2, box.y + 2); // its flat top, half-way through the pulse
        const hover = await page.locator(".lm-plotly .hoverlayer .hovertext").first().textContent({ timeout: 5_000 });
        assert.match(hover ?? "", /R5IM.*\(negated\).*-?\d+\.\d{4} V at \d+\.\d{3} ms/);

        // What the README shows: the page with the interactive figure in view.
        await page.mouse.move(5, 5);
        await page
          .locator(".jp-CodeCell", { has: page.locator(".lm-plotly") })
          .first()
          .evaluate("(cell) => cell.scrollIntoView({ block: 'start' })");
        await page.waitForTimeout(1500); // cells scrolled into view are painted lazily (content-visibility)
        await page.screenshot({ path: path.join(SHOTS, shot(frontEnd.key, PLOTTING, "page")) });

        // Save, as a student does (Ctrl+S), and wait for the file on disk to hold the figures.
        await page
          .locator(".jp-Notebook")
          .first()
          .click({ position: { x: 5, y: 5 } });
        await page.keyboard.press("Control+s");
        const saved = path.join(REPO, folder, PLOTTING);
        for (let i = 0; i < 100 && !readFileSync(saved, "utf8").includes("lm-plotly"); i++) await new Promise((r) => setTimeout(r, 200));
        assert.match(readFileSync(saved, "utf8"), /lm-figure-img/, "the saved notebook holds the figures");
        await close(page, PLOTTING);
      });

      test("the saved plotting lesson, opened as a classmate gets it (untrusted), shows the figures' fallback images", async () => {
        // The trust signature covers the notebook's content: a copy that differs in one byte of metadata is what
        // another computer sees — a notebook whose outputs nobody here vouched for.
        const saved = JSON.parse(readFileSync(path.join(REPO, folder, PLOTTING), "utf8")) as {
          metadata: Record<string, unknown>;
        };
        saved.metadata.sent_to = "a classmate";
        writeFileSync(path.join(REPO, folder, CLASSMATE), JSON.stringify(saved, null, 1) + "\n");
        const page = await open(CLASSMATE);
        await page.waitForSelector(".lm-figure img.lm-figure-img", { state: "attached", timeout: 30_000 });
        await page.waitForTimeout(1500); // scripts would have run by now, were they allowed
        const model = await server.api<{ content: { cells: { cell_type: string; metadata: { trusted?: boolean } }[] } }>(
          `/api/contents/${folder}/${CLASSMATE}?content=1`,
        );
        const trusted = model.content.cells.filter((c) => c.cell_type === "code").map((c) => c.metadata.trusted);
        assert.ok(trusted.length > 0 && trusted.every((t) => t === false), `Jupyter serves it untrusted: ${JSON.stringify(trusted)}`);
        assert.equal(await page.locator(".lm-figure").count(), FIGURES);
        for (let i = 0; i < FIGURES; i++) {
          assert.equal(
            await page.locator(".lm-figure .lm-figure-svg").nth(i).isVisible(),
            false,
            `figure ${i + 1}: the sanitised SVG stays hidden`,
          );
          await drawn(page, ".lm-figure img.lm-figure-img", i, shot(frontEnd.key, PLOTTING, `untrusted-figure-${i + 1}`));
        }
        assert.equal(await page.locator(".lm-plotly .js-plotly-plot").count(), 0, "no script ran: no Plotly figure");
        await drawn(page, ".lm-plotly img.lm-plotly-fallback", 0, shot(frontEnd.key, PLOTTING, "untrusted-plotly"));
        assert.match((await page.locator(".lm-plotly .lm-plotly-note").textContent()) ?? "", /Static picture/);
        assert.deepEqual(await page.evaluate(STDERR), [], "the saved outputs hold no error");
        await close(page, CLASSMATE);
      });

      test("the live-view lesson updates one output in place while pulses arrive", async () => {
        const page = await open(LIVE);
        await clickRunAll(page);
        // Watch the first live view (1 pulse a second for 10 s): how many outputs its cell has, and what its
        // status line says, every 200 ms for at most 30 s (until its cell prints the view's statistics).
        const samples = (await page.evaluate(`new Promise((resolve) => {
        // Looked up on every tick: JupyterLab draws a cell's editor only once it has been on screen.
        const findCell = () => [...document.querySelectorAll(".jp-CodeCell")].find((c) => (c.querySelector(".jp-InputArea-editor")?.textContent ?? "").includes("rate: 1 }"));
        const samples = [];
        const started = Date.now();
        const timer = setInterval(() => {
          const cell = findCell();
          const outputs = cell ? [...cell.querySelectorAll(".jp-OutputArea-child")] : [];
          const displays = outputs.filter((o) => o.querySelector(".live-view"));
          const first = displays[0];
          if (first && !first.dataset.lmSeen) first.dataset.lmSeen = String(samples.length);
          samples.push({
            outputs: outputs.length,
            displays: displays.length,
            status: first ? [...first.querySelectorAll("text.live-status")].map((t) => t.textContent).join(" | ") : "",
            node: first ? first.dataset.lmSeen : "",
          });
          const done = outputs.some((o) => /pulsesPerSecond/.test(o.textContent));
          if (done || Date.now() - started > 30000) { clearInterval(timer); resolve(samples); }
        }, 200);
      })`)) as { outputs: number; displays: number; status: string; node: string }[];
        const shown = samples.filter((s) => s.displays > 0);
        assert.ok(shown.length >= 10, `the live view was on screen in ${shown.length} of ${samples.length} samples`);
        assert.ok(
          samples.every((s) => s.displays <= 1),
          `never more than one live view output: ${[...new Set(samples.map((s) => s.displays))].join(", ")}`,
        );
        const statuses = new Set(shown.map((s) => s.status));
        assert.ok(statuses.size >= 4, `the same output changed as pulses arrived (${statuses.size} different status lines)`);
        assert.ok(
          samples.every((s) => s.outputs <= 2),
          `outputs did not pile up in the cell: at most ${Math.max(...samples.map((s) => s.outputs))}`,
        );
        await page.locator(".live-view").first().scrollIntoViewIfNeeded();
        await page.waitForTimeout(1000);
        await page.screenshot({ path: path.join(SHOTS, shot(frontEnd.key, LIVE, "page")) });
        // The rest of the lesson (a faster feed, a separate process, the waterfall) runs too.
        await page.waitForFunction(ALL_RAN, null, { timeout: 180_000, polling: 250 });
        await page.waitForTimeout(1000);
        assert.deepEqual(await page.evaluate(STDERR), [], "no cell wrote to stderr");
        assert.equal(await page.locator(".jp-CodeCell .live-view").count(), 3, "three live views, one output each");
        await drawn(page, ".lm-figure", (await page.locator(".lm-figure").count()) - 1, shot(frontEnd.key, LIVE, "waterfall"));
        await close(page, LIVE);
      });

      test("no script error in the page from the lessons' outputs", (t) => {
        if (jupyterErrors.length) t.diagnostic(`errors inside ${frontEnd.title}'s own code (not failed): ${jupyterErrors.join("; ")}`);
        assert.deepEqual(pageErrors, []);
      });
    },
  );
}
