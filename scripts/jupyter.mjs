// Finding Jupyter for `npm start`, `npm run notebooks` and the tests: the project's .venv (JupyterLab 4,
// Notebook 7, nbclient from PyPI; scripts/venv.mjs) first, else Debian's classic Notebook 6.4 and nbclient
// (scripts/provision.mjs installs them). Plain Node ESM: no build step, no dependencies.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePackages, loadPackageList } from "./provision.mjs";
import { ensureVenv, VENV_PYTHON, venvState } from "./venv.mjs";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Committed: kernelspecs (jupyter/kernels/learning-mqtt/kernel.json, found through JUPYTER_PATH) and config. */
export const JUPYTER_DIR = path.join(REPO, "jupyter");
/** Ignored (see .gitignore): Jupyter's runtime files, user settings, workspaces and trust database. */
export const LOCAL_DIR = path.join(REPO, ".jupyter-runtime");
export const TSLAB = path.join(REPO, "node_modules", ".bin", process.platform === "win32" ? "tslab.cmd" : "tslab");

const DISTRIBUTIONS = ["notebook", "jupyterlab", "nbclient", "nbformat", "nbconvert", "jupyter_client"];
const PROBE = `import importlib.metadata as md, json
def version(name):
    try:
        return md.version(name)
    except Exception:
        return None
print(json.dumps({d: version(d) for d in ${JSON.stringify(DISTRIBUTIONS)}}))`;

const probed = new Map();
/** The installed versions of Jupyter's distributions in a Python ({ notebook: "7.6.5", … }, null if absent), or null if it does not run. */
export function probePython(python) {
  if (!probed.has(python)) {
    const r = spawnSync(python, ["-c", PROBE], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20_000 });
    let versions = null;
    if (r.status === 0) {
      try {
        versions = JSON.parse(r.stdout.trim().split("\n").pop());
      } catch {
        versions = null;
      }
    }
    probed.set(python, versions);
  }
  return probed.get(python);
}

/** Pythons to try, best first: only $JUPYTER_PYTHON when set; else the project's .venv when ready (and not
 * LEARNING_MQTT_NO_VENV), then Debian's. */
function candidatePythons() {
  if (process.env.JUPYTER_PYTHON) return [process.env.JUPYTER_PYTHON];
  const useVenv = venvState() === "ready" && !process.env.LEARNING_MQTT_NO_VENV;
  const list = [...(useVenv ? [VENV_PYTHON] : []), loadPackageList().python];
  return list.filter((p) => existsSync(p));
}

/** What a Python offers: { python, versions, lab, notebook7, classic, runner }. */
export function describePython(python) {
  const versions = probePython(python);
  if (!versions) return null;
  const major = Number((versions.notebook ?? "0").split(".")[0]);
  return {
    python,
    versions,
    lab: Boolean(versions.jupyterlab),
    notebook7: major >= 7,
    classic: major > 0 && major < 7,
    runner: Boolean(versions.nbclient && versions.nbformat && versions.jupyter_client),
  };
}

/** The first candidate Python for which `test(described)` holds, or null. */
function findPython(test) {
  for (const python of candidatePythons()) {
    const described = describePython(python);
    if (described && test(described)) return described;
  }
  return null;
}

/** A Python with what the headless runner (scripts/notebook_runner) needs: the .venv's, else Debian's. */
export function findRunnerPython() {
  return findPython((d) => d.runner);
}

/** The front ends, by the name `npm start` and the tests use. */
export const FRONT_ENDS = {
  notebook: { title: "Notebook 7", name: "Notebook", has: (d) => d.notebook7, version: (d) => d.versions.notebook },
  lab: { title: "JupyterLab 4", name: "JupyterLab", has: (d) => d.lab, version: (d) => d.versions.jupyterlab },
  classic: { title: "the classic Notebook", name: "the classic Notebook", has: (d) => d.classic, version: (d) => d.versions.notebook },
};

/**
 * The Python to serve `want` ("notebook": Notebook 7, "lab": JupyterLab 4, "classic": Debian's Notebook 6.4)
 * with, installing what is missing: the .venv from PyPI for Notebook 7 and JupyterLab; when that cannot be
 * had, one line saying so and Debian's classic Notebook instead. Returns { python, frontEnd, version } or
 * exits 1 after one line.
 */
export async function prepareFrontEnd(want, { who = "npm start" } = {}) {
  if (process.env.JUPYTER_PYTHON) {
    const d = describePython(process.env.JUPYTER_PYTHON);
    const frontEnd = d && (FRONT_ENDS[want].has(d) ? want : ["notebook", "lab", "classic"].find((f) => FRONT_ENDS[f].has(d)));
    if (!frontEnd) {
      console.error(
        `${who}: JUPYTER_PYTHON=${process.env.JUPYTER_PYTHON} has no Jupyter notebook server: unset it, or point it at one that has`,
      );
      process.exit(1);
    }
    return { python: d.python, frontEnd, version: FRONT_ENDS[frontEnd].version(d) };
  }
  if (want !== "classic") {
    const venv = await ensureVenv({ who });
    const d = venv.python && describePython(venv.python);
    if (d && FRONT_ENDS[want].has(d)) return { python: d.python, frontEnd: want, version: FRONT_ENDS[want].version(d) };
    const why = venv.reason ?? ".venv has no " + FRONT_ENDS[want].title;
    console.warn(`${who}: ${why}, so ${FRONT_ENDS[want].title} cannot be installed: starting Debian's classic Notebook instead`);
  }
  ensurePackages("classic", { who });
  probed.clear();
  const d = describePython(loadPackageList().python);
  if (!d?.classic) {
    console.error(
      `${who}: Debian's classic Notebook is not usable with ${loadPackageList().python}: run \`sudo apt-get install -y jupyter-notebook\``,
    );
    process.exit(1);
  }
  return { python: d.python, frontEnd: "classic", version: d.versions.notebook };
}

/**
 * The environment Jupyter and the kernels run in: the project kernelspec on JUPYTER_PATH, the project's
 * settings (jupyter/config) on JUPYTER_CONFIG_PATH, runtime, user settings, workspaces and the trust database
 * under the ignored .jupyter-runtime/ (or $LEARNING_MQTT_JUPYTER_STATE, for tests), and this Node first on PATH
 * (tslab starts with `env node`).
 */
export function jupyterEnv(base = process.env) {
  const state = base.LEARNING_MQTT_JUPYTER_STATE || LOCAL_DIR;
  const dirs = { runtime: path.join(state, "runtime"), config: path.join(state, "config"), data: path.join(state, "data") };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const join = (...parts) => parts.filter(Boolean).join(path.delimiter);
  const pathKey = Object.keys(base).find((k) => k.toUpperCase() === "PATH") ?? "PATH";
  return {
    ...base,
    JUPYTER_PATH: join(JUPYTER_DIR, base.JUPYTER_PATH),
    JUPYTER_CONFIG_PATH: join(path.join(JUPYTER_DIR, "config"), base.JUPYTER_CONFIG_PATH),
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_DATA_DIR: dirs.data,
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
