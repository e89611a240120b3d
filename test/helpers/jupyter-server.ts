// `npm start` as a test runs it: Jupyter on a free loopback port with its own state folder (settings, workspaces,
// trust database), stopped with its process group whatever happens; and Debian's chromium through playwright-core.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { chromium, type Browser } from "playwright-core";
import { freePort } from "./mosquitto";

export const REPO = path.resolve(__dirname, "../..");
export const CHROMIUM = "/usr/bin/chromium";
/** The project's .venv, where scripts/venv.mjs puts it (LEARNING_MQTT_VENV moves it). */
export const VENV = process.env.LEARNING_MQTT_VENV ? path.resolve(process.env.LEARNING_MQTT_VENV) : path.join(REPO, ".venv");
export const VENV_PYTHON = path.join(VENV, "bin", "python");

/** What the project's .venv offers ({ jupyterlab, notebook } versions), or why there is none. */
export function venvFrontEnds(): { jupyterlab?: string; notebook?: string; reason?: string } {
  if (process.env.LEARNING_MQTT_NO_VENV) return { reason: "told not to use the .venv (npm test -- --no-venv, LEARNING_MQTT_NO_VENV)" };
  if (!existsSync(VENV_PYTHON) || !existsSync(path.join(VENV, "learning-mqtt.stamp"))) {
    return { reason: "no .venv (npm test makes it from PyPI when PyPI can be reached; it could not, or was told not to)" };
  }
  const script = 'import importlib.metadata as m, json; print(json.dumps({d: m.version(d) for d in ["jupyterlab", "notebook"]}))';
  return JSON.parse(execFileSync(VENV_PYTHON, ["-c", script], { encoding: "utf8" })) as { jupyterlab: string; notebook: string };
}

export interface JupyterServer {
  readonly port: number;
  readonly token: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  /** Everything npm start and Jupyter printed so far. */
  log(): string;
  /** A Jupyter REST call (e.g. GET /api/kernels) with the token; JSON back (null for 204). */
  api<T>(apiPath: string, method?: "GET" | "DELETE"): Promise<T>;
  /** Stops npm start (which stops Jupyter, its kernels and the watcher) and removes the state folder. */
  stop(): Promise<void>;
}

const killGroup = (pid: number | undefined, signal: NodeJS.Signals) => {
  try {
    if (pid) process.kill(-pid, signal);
  } catch {
    // already gone
  }
};

/** Runs `node scripts/start.mjs <flags> --no-browser --port N` and waits (≤ 120 s) until Jupyter prints its token. */
export async function startJupyter(flags: string[], env: NodeJS.ProcessEnv = {}): Promise<JupyterServer> {
  const port = await freePort();
  const state = mkdtempSync(path.join(tmpdir(), "learning-mqtt-jupyter-"));
  const child = spawn(
    process.execPath,
    ["scripts/start.mjs", ...flags, "--no-browser", "--port", String(port), "--", "--ServerApp.port_retries=0"],
    {
      cwd: REPO,
      env: { ...process.env, MQTT_URL: "", LEARNING_MQTT_JUPYTER_STATE: state, ...env },
      detached: true, // its own process group: stopping it reaches the watcher too
    },
  );
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  /** Jupyter runs in a process group of its own (npm start's design): its pid, from its runtime file. */
  const jupyterPid = (): number | undefined => {
    try {
      const dir = path.join(state, "runtime");
      const file = readdirSync(dir).find((f) => /^jpserver-\d+\.json$/.test(f) || /^nbserver-\d+\.json$/.test(f));
      return file ? (JSON.parse(readFileSync(path.join(dir, file), "utf8")) as { pid: number }).pid : undefined;
    } catch {
      return undefined;
    }
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const jupyter = jupyterPid();
    killGroup(child.pid, "SIGTERM");
    const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 25_000).unref())]);
    if (!done) {
      killGroup(child.pid, "SIGKILL");
      killGroup(jupyter, "SIGKILL");
      await exited;
    }
    rmSync(state, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + 120_000;
    let token: string | undefined;
    while (!token) {
      token = /[?&]token=([0-9a-f]+)/.exec(log)?.[1];
      if (token) break;
      if (child.exitCode !== null) throw new Error(`npm start ${flags.join(" ")} exited with ${child.exitCode}:\n${log}`);
      if (Date.now() > deadline) throw new Error(`Jupyter did not start within 120 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const origin = `http://127.0.0.1:${port}`;
    return {
      port,
      token,
      origin,
      log: () => log,
      api: async <T>(apiPath: string, method: "GET" | "DELETE" = "GET") => {
        const response = await fetch(`${origin}${apiPath}${apiPath.includes("?") ? "&" : "?"}token=${token}`, {
          method,
          signal: AbortSignal.timeout(10_000),
        });
        if (!response.ok) {
          const said = log
            .split("\n")
            .filter((l) => /^\[[EW] |Error|Traceback/.test(l))
            .slice(-12)
            .join("\n");
          throw new Error(`${method} ${apiPath}: HTTP ${response.status}; Jupyter's last warnings and errors:\n${said}`);
        }
        return (response.status === 204 ? null : await response.json()) as T;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Debian's chromium, headless, with a fresh profile and no background networking. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}

/** Pixels of a PNG screenshot that are not (nearly) white, counted by drawing it with resvg. */
export function inkedPixels(png: Buffer): { inked: number; total: number } {
  const size = { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size.width}" height="${size.height}"><image width="${size.width}" height="${size.height}" href="data:image/png;base64,${png.toString("base64")}"/></svg>`;
  const { pixels, width, height } = new Resvg(svg, { background: "white" }).render();
  let inked = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 230 || pixels[i + 1]! < 230 || pixels[i + 2]! < 230) inked++;
  return { inked, total: width * height };
}

/** Removes a folder at the end of the test process (also when a test fails). */
export function removeOnExit(dir: string): string {
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
