// What a newcomer does without PyPI: `npm start -- --classic` (also what npm start falls back to), open a lesson
// in Debian's classic Notebook 6.4 in a browser, run every cell. Debian's chromium, driven by playwright-core, runs
// lesson 2 through Jupyter's own page (its kernel, its websocket, its file server for ../assets) and checks that
// every cell ran, none wrote to stderr, and the diagram from assets/ loaded. A screenshot is kept in out/screenshots/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { CHROMIUM, launchChromium, REPO, startJupyter } from "../helpers/jupyter-server";

const skip = !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (npm test installs it)` : false;

declare const Jupyter: {
  notebook: {
    kernel?: { is_connected(): boolean };
    execute_all_cells(): void;
    get_cells(): Array<{
      cell_type: string;
      input_prompt_number?: number | string | null;
      output_area: { outputs: Array<{ name?: string; output_type: string; text?: string }> };
    }>;
  };
};

test(
  "npm start -- --classic serves the lessons, and lesson 2 runs top to bottom in the classic Notebook",
  { skip, timeout: 180_000 },
  async () => {
    // Debian's Notebook 6.4, whether or not there is a .venv
    const server = await startJupyter(["--classic"], { JUPYTER_PYTHON: "/usr/bin/python3" });
    const browser = await launchChromium().catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    try {
      assert.match(server.log(), /npm start: the classic Notebook 6\.\d+\.\d+ \(\/usr\/bin\/python3\)/);
      const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
      await page.goto(`${server.origin}/notebooks/notebooks/02-what-is-mqtt.ipynb?token=${server.token}`);
      await page.waitForFunction(() => Jupyter.notebook?.kernel?.is_connected() === true, null, { timeout: 60_000 });
      await page.evaluate(() => Jupyter.notebook.execute_all_cells());
      await page.waitForFunction(
        () => Jupyter.notebook.get_cells().every((c) => c.cell_type !== "code" || typeof c.input_prompt_number === "number"),
        null,
        { timeout: 120_000 },
      );
      const cells = await page.evaluate(() =>
        Jupyter.notebook
          .get_cells()
          .filter((c) => c.cell_type === "code")
          .map((c) => ({
            stderr: c.output_area.outputs
              .filter((o) => o.name === "stderr" || o.output_type === "error")
              .map((o) => o.text ?? o.output_type),
            stdout: c.output_area.outputs.map((o) => o.text ?? "").join(""),
          })),
      );
      assert.ok(cells.length >= 10, `${cells.length} code cells ran`);
      assert.deepEqual(
        cells.flatMap((c) => c.stderr),
        [],
        "no cell wrote an error",
      );
      assert.match(cells.map((c) => c.stdout).join(""), /fan/i, "the thermometer-and-fan demo printed what the fan did");
      const diagram = page.locator('img[src*="mqtt-publish-subscribe.svg"]').first();
      await diagram.scrollIntoViewIfNeeded();
      const loaded = await diagram.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0);
      assert.ok(loaded, "the diagram from assets/ loaded");
      mkdirSync(path.join(REPO, "out", "screenshots"), { recursive: true });
      await page.screenshot({ path: path.join(REPO, "out", "screenshots", "02-notebook-ui.png") });
    } finally {
      await browser.close();
      await server.stop();
    }
  },
);
