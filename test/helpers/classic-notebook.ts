// The classic Notebook 6.4 (Debian's; `npm start -- --classic`, also what npm start falls back to without PyPI),
// driven in Debian's chromium by playwright-core: a lesson opened, its cells run one by one or all, their outputs
// read, ■ clicked. Server and browser come from jupyter-server.ts and are stopped in close(), also when a test fails.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM, launchChromium, REPO, startJupyter, type JupyterServer } from "./jupyter-server";

export { CHROMIUM, REPO };
/** For test options: a reason to skip when chromium is missing (CI requires it). */
export const skipWithoutChromium =
  !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (npm test installs it); CI requires it` : false;

/** A code cell's outputs as the page holds them. */
export interface CellOutputs {
  readonly stdout: string;
  readonly stderr: string[];
}

declare const Jupyter: {
  notebook: {
    kernel?: { is_connected(): boolean };
    kernel_busy: boolean;
    execute_all_cells(): void;
    get_cell(index: number): { execute(): void };
    get_cells(): Array<{
      cell_type: string;
      input_prompt_number?: number | string | null;
      output_area: { outputs: Array<{ name?: string; output_type: string; text?: string }> };
    }>;
  };
};

export interface ClassicNotebook {
  readonly page: Page;
  /** Runs every cell, as Cell → Run All, and waits until each code cell has a number. */
  runAll(timeoutMs?: number): Promise<void>;
  /** Starts running the cell at `index` (counting every cell, from 0) without waiting for it. */
  start(index: number): Promise<void>;
  /** Waits until the cell at `index` has finished (its prompt shows a number). */
  finished(index: number, timeoutMs?: number): Promise<void>;
  /** Runs the cell at `index` and waits for it. */
  run(index: number, timeoutMs?: number): Promise<CellOutputs>;
  /** What the cell at `index` printed. */
  outputs(index: number): Promise<CellOutputs>;
  /** The code cells' outputs, in order. */
  codeOutputs(): Promise<CellOutputs[]>;
  /** Clicks the toolbar's ■ (interrupt the kernel), as a student does. */
  interrupt(): Promise<void>;
  /** Saves a screenshot in out/screenshots/. */
  screenshot(name: string): Promise<void>;
  /** Stops the browser and the server. */
  close(): Promise<void>;
}

/**
 * Starts `npm start -- --classic` (Debian's Notebook 6.4, whether or not there is a .venv) on a free port and opens
 * `notebook` (a path from the repository root), once its kernel is connected.
 * @example const nb = await openClassicNotebook("notebooks/03-what-is-mqtt.ipynb"); try { await nb.runAll(); } finally { await nb.close(); }
 */
export async function openClassicNotebook(notebook: string): Promise<ClassicNotebook> {
  let server: JupyterServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
  };
  try {
    server = await startJupyter(["--classic"], { JUPYTER_PYTHON: "/usr/bin/python3" });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    await page.goto(`${server.origin}/notebooks/${notebook}?token=${server.token}`);
    await page.waitForFunction(() => Jupyter.notebook?.kernel?.is_connected() === true, null, { timeout: 60_000 });
    const outputs = (index: number) =>
      page.evaluate((i) => {
        const cell = Jupyter.notebook.get_cells()[i]!;
        return {
          stdout: cell.output_area.outputs.map((o) => (o.name === "stdout" ? (o.text ?? "") : "")).join(""),
          stderr: cell.output_area.outputs
            .filter((o) => o.name === "stderr" || o.output_type === "error")
            .map((o) => o.text ?? o.output_type),
        };
      }, index);
    const finished = (index: number, timeoutMs = 60_000) =>
      page
        .waitForFunction((i) => typeof Jupyter.notebook.get_cells()[i]!.input_prompt_number === "number", index, { timeout: timeoutMs })
        .then(() => undefined);
    const start = (index: number) => page.evaluate((i) => Jupyter.notebook.get_cell(i).execute(), index);
    return {
      page,
      start,
      finished,
      outputs,
      async run(index, timeoutMs) {
        await start(index);
        await finished(index, timeoutMs);
        await page.waitForTimeout(500); // a cell's stream output can arrive just after it reports idle
        return outputs(index);
      },
      async runAll(timeoutMs = 120_000) {
        await page.evaluate(() => Jupyter.notebook.execute_all_cells());
        await page.waitForFunction(
          () => Jupyter.notebook.get_cells().every((c) => c.cell_type !== "code" || typeof c.input_prompt_number === "number"),
          null,
          { timeout: timeoutMs },
        );
      },
      async codeOutputs() {
        const indexes = await page.evaluate(() =>
          Jupyter.notebook
            .get_cells()
            .map((c, i) => (c.cell_type === "code" ? i : -1))
            .filter((i) => i >= 0),
        );
        return Promise.all(indexes.map(outputs));
      },
      async interrupt() {
        await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
      },
      async screenshot(name) {
        mkdirSync(path.join(REPO, "out", "screenshots"), { recursive: true });
        await page.screenshot({ path: path.join(REPO, "out", "screenshots", name) });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
