// Finding (and if need be installing) Jupyter for `npm start` and `npm run notebooks`.
// Plain Node ESM: no build step, no dependencies.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Committed kernelspecs: jupyter/kernels/learning-mqtt/kernel.json, found through JUPYTER_PATH. */
export const JUPYTER_DIR = path.join(REPO, "jupyter");
/** Ignored (see .gitignore): Jupyter's runtime files (connection files, server info) and config. */
export const LOCAL_DIR = path.join(REPO, ".jupyter-runtime");
export const TSLAB = path.join(REPO, "node_modules", ".bin", process.platform === "win32" ? "tslab.cmd" : "tslab");

/** The one line printed when Jupyter is missing and cannot be installed here. */
export const installHint = (what = "Jupyter", again = "npm start") =>
  `${what} is not installed: run \`sudo apt-get install jupyter-notebook python3-ipykernel\` (Debian/Ubuntu) ` +
  `or \`pip install notebook\`, then \`${again}\` again`;

const MODULES = ["notebook", "jupyterlab", "nbclient", "nbformat", "nbconvert", "jupyter_client", "venv", "ensurepip"];
const PROBE = `import importlib.util, json, sys
print(json.dumps({m: importlib.util.find_spec(m) is not None for m in ${JSON.stringify(MODULES)}}))`;

/** Pythons to try, best first: the project's .venv, Debian's, then whatever is on PATH; or only $JUPYTER_PYTHON. */
function candidatePythons() {
  if (process.env.JUPYTER_PYTHON) return [process.env.JUPYTER_PYTHON];
  const venv = process.platform === "win32" ? path.join(REPO, ".venv", "Scripts", "python.exe") : path.join(REPO, ".venv", "bin", "python");
  const list = [venv, "/usr/bin/python3", "/usr/local/bin/python3", "python3", "python"];
  return [...new Set(list.filter(Boolean))].filter((p) => !path.isAbsolute(p) || existsSync(p));
}

const probed = new Map();
/** Which of MODULES a Python can import (without importing them), or null if it does not run. */
export function probePython(python) {
  if (!probed.has(python)) {
    const r = spawnSync(python, ["-c", PROBE], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20_000 });
    let modules = null;
    if (r.status === 0) {
      try {
        modules = JSON.parse(r.stdout.trim().split("\n").pop());
      } catch {
        modules = null;
      }
    }
    probed.set(python, modules);
  }
  return probed.get(python);
}

/** The first Python that can import all of `modules`, as { python, modules }, or null. */
export function findPython(modules) {
  for (const python of candidatePythons()) {
    const has = probePython(python);
    if (has && modules.every((m) => has[m])) return { python, modules: has };
  }
  return null;
}

/** A Python that can serve notebooks: { python, classic, lab } or null. */
export function findJupyter() {
  const found = findPython(["notebook"]) ?? findPython(["jupyterlab"]);
  if (!found) return null;
  return { python: found.python, classic: found.modules.notebook, lab: found.modules.jupyterlab };
}

/** A Python with what scripts/execute_notebook.py needs, or null. */
export function findRunnerPython() {
  return findPython(["nbclient", "nbformat", "jupyter_client"]);
}

/**
 * The environment Jupyter and the kernels run in: the project kernelspec on JUPYTER_PATH, runtime and
 * config under the ignored .jupyter-runtime/, and this Node first on PATH (tslab starts with `env node`).
 */
export function jupyterEnv(base = process.env) {
  const runtime = path.join(LOCAL_DIR, "runtime");
  const config = path.join(LOCAL_DIR, "config");
  mkdirSync(runtime, { recursive: true });
  mkdirSync(config, { recursive: true });
  const join = (...parts) => parts.filter(Boolean).join(path.delimiter);
  const pathKey = Object.keys(base).find((k) => k.toUpperCase() === "PATH") ?? "PATH";
  return {
    ...base,
    JUPYTER_PATH: join(JUPYTER_DIR, base.JUPYTER_PATH),
    JUPYTER_RUNTIME_DIR: runtime,
    JUPYTER_CONFIG_DIR: config,
    [pathKey]: join(path.dirname(process.execPath), path.join(REPO, "node_modules", ".bin"), base[pathKey]),
    PYTHONUNBUFFERED: "1",
  };
}

/** One line and exit 1 unless `npm install` has been run (the kernel is node_modules/.bin/tslab). */
export function requireTslab() {
  if (!existsSync(TSLAB)) {
    console.error(`tslab is missing (${path.relative(REPO, TSLAB)}): run \`npm install\` first`);
    process.exit(1);
  }
}

function have(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

async function pypiReachable() {
  const index = process.env.PIP_INDEX_URL || "https://pypi.org/simple/";
  try {
    const response = await fetch(new URL("notebook/", index.endsWith("/") ? index : index + "/"), {
      method: "HEAD",
      signal: AbortSignal.timeout(5000),
    });
    return response.ok || response.status === 301 || response.status === 302;
  } catch {
    return false;
  }
}

/**
 * Install Jupyter when it is missing: Debian's packages when running as root with apt-get, else a
 * project .venv with pip when PyPI answers. Returns findJupyter()'s answer, or null after printing
 * installHint().
 */
export async function installJupyter() {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (isRoot && have("apt-get")) {
    console.log("Jupyter is not installed: installing Debian's jupyter-notebook and python3-ipykernel with apt-get (running as root)...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    const install = () =>
      spawnSync("apt-get", ["install", "-y", "-q", "jupyter-notebook", "python3-ipykernel"], { stdio: "inherit", env }).status === 0;
    let ok = install();
    if (!ok) {
      ok = spawnSync("apt-get", ["update", "-q"], { stdio: "inherit", env }).status === 0 && install();
    }
    probed.clear();
    const found = ok ? findJupyter() : null;
    if (found) return found;
  } else {
    const base = findPython(["venv", "ensurepip"]);
    if (base && (await pypiReachable())) {
      console.log(`Jupyter is not installed: creating .venv with ${base.python} and installing notebook from PyPI...`);
      const venv = path.join(REPO, ".venv");
      const python = process.platform === "win32" ? path.join(venv, "Scripts", "python.exe") : path.join(venv, "bin", "python");
      const ok =
        spawnSync(base.python, ["-m", "venv", venv], { stdio: "inherit" }).status === 0 &&
        spawnSync(python, ["-m", "pip", "install", "--quiet", "notebook", "nbclient", "nbconvert"], { stdio: "inherit" }).status === 0;
      probed.clear();
      const found = ok ? findJupyter() : null;
      if (found) return found;
    }
  }
  console.error(installHint());
  return null;
}
