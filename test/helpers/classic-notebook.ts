// What a newcomer does: `npm start`, then a notebook in the classic Notebook 6.4, in Debian's chromium driven by
// playwright-core. Starts the server in its own process group and stops it (Jupyter, its kernels and the build
// watcher) in close(), also when a test fails.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { freePort } from "./mosquitto";

export const REPO = path.resolve(__dirname, "..", "..");
export const CHROMIUM = "/usr/bin/chromium";
/** For test options: a reason to skip when chromium is missing (CI requires it). */
export const skipWithoutChromium =
  !existsSync(CHROMIUM) && !process.env.CI ? `${CHROMIUM} is not installed (apt-get install chromium); CI requires it` : false;

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
 * Starts `npm start` on a free port and opens `notebook` (a path from the repository root) in the classic Notebook,
 * once its kernel is connected.
 * @example const nb = await openClassicNotebook("notebooks/03-what-is-mqtt.ipynb"); try { await nb.runAll(); } finally { await nb.close(); }
 */
export async function openClassicNotebook(notebook: string): Promise<ClassicNotebook> {
  const port = await freePort();
  const server = spawn(process.execPath, ["scripts/start.mjs", "--no-browser", "--port", String(port)], {
    cwd: REPO,
    env: { ...process.env, MQTT_URL: "" },
    detached: true, // its own process group, so that stopping it stops Jupyter, its kernels and the watcher
  });
  let log = "";
  server.stdout.on("data", (d) => (log += d));
  server.stderr.on("data", (d) => (log += d));
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    if (server.exitCode === null && server.signalCode === null) {
      const stopped = new Promise((resolve) => server.once("exit", resolve));
      process.kill(-server.pid!, "SIGTERM");
      await stopped;
    }
  };
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    const token = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Jupyter did not start within 60 s:\n${log}`)), 60_000);
      const poll = setInterval(() => {
        const match = /token=([0-9a-f]+)/.exec(log);
        if (match) {
          clearInterval(poll);
          clearTimeout(timer);
          resolve(match[1]!);
        }
      }, 100);
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    await page.goto(`http://127.0.0.1:${port}/notebooks/${notebook}?token=${token}`);
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
