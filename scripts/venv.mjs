// The project's own Jupyter from PyPI: a virtual environment in the ignored .venv/, with the exact versions
// of jupyter/requirements.txt (JupyterLab 4, Notebook 7, nbclient). Created on first use, re-used after,
// made again when requirements.txt changes. Nothing is installed outside the project. Plain Node ESM.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensurePackages, loadPackageList } from "./provision.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The project's .venv (LEARNING_MQTT_VENV moves it, for tests of what happens without one). */
export const VENV = process.env.LEARNING_MQTT_VENV ? path.resolve(process.env.LEARNING_MQTT_VENV) : path.join(REPO, ".venv");
export const REQUIREMENTS = path.join(REPO, "jupyter", "requirements.txt");
export const VENV_PYTHON = process.platform === "win32" ? path.join(VENV, "Scripts", "python.exe") : path.join(VENV, "bin", "python");
/** Written last, with the hash of requirements.txt: a .venv without it is half-made (interrupted) and made again. */
const STAMP = path.join(VENV, "learning-mqtt.stamp");
const LOG = path.join(REPO, "out", "provision", "pip.log");

const requirementsHash = () => createHash("sha256").update(readFileSync(REQUIREMENTS)).digest("hex");

/** "ready", "stale" (requirements changed or half-made) or "absent". */
export function venvState() {
  if (!existsSync(VENV)) return "absent";
  try {
    return existsSync(VENV_PYTHON) && readFileSync(STAMP, "utf8").trim() === requirementsHash() ? "ready" : "stale";
  } catch {
    return "stale";
  }
}

/** The pinned version of a package in requirements.txt (e.g. "jupyterlab" → "4.6.6"), or undefined. */
export function pinnedVersion(name) {
  const line = readFileSync(REQUIREMENTS, "utf8")
    .split("\n")
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}==`));
  return line?.split("==")[1]?.trim();
}

/** Whether the package index answers (PIP_INDEX_URL, else PyPI), within 5 s. */
export async function indexReachable() {
  const index = process.env.PIP_INDEX_URL || "https://pypi.org/simple/";
  try {
    const response = await fetch(new URL("jupyterlab/", index.endsWith("/") ? index : index + "/"), {
      method: "HEAD",
      signal: AbortSignal.timeout(5000),
    });
    return response.ok || response.status === 301 || response.status === 302;
  } catch {
    return false;
  }
}

function tail(file, lines = 1) {
  try {
    return readFileSync(file, "utf8").trim().split("\n").slice(-lines).join(" | ");
  } catch {
    return "";
  }
}

/**
 * The .venv's Python once it is ready: re-used when current (no network); otherwise made from
 * requirements.txt when the index answers. Returns { python, created } or { python: null, reason } —
 * `reason` is one line saying why there is none (the caller decides what to fall back to).
 * LEARNING_MQTT_NO_VENV=1 skips it (for trying the fallback).
 */
export async function ensureVenv({ who = "npm start" } = {}) {
  if (process.env.LEARNING_MQTT_NO_VENV) return { python: null, reason: "LEARNING_MQTT_NO_VENV is set" };
  const state = venvState();
  if (state === "ready") return { python: VENV_PYTHON, created: false };
  if (!(await indexReachable())) {
    return {
      python: null,
      reason: `PyPI cannot be reached${process.env.PIP_INDEX_URL ? ` (PIP_INDEX_URL=${process.env.PIP_INDEX_URL})` : ""}`,
    };
  }
  if (!ensurePackages("venv", { who, exitOnFailure: false })) return { python: null, reason: "python3-venv is missing (above)" };
  const base = loadPackageList().python;
  const started = Date.now();
  console.log(
    `${who}: ${state === "stale" ? "remaking" : "creating"} .venv with JupyterLab ${pinnedVersion("jupyterlab")} and Notebook ${pinnedVersion("notebook")} ` +
      `from PyPI (jupyter/requirements.txt; once, about a minute)...`,
  );
  rmSync(VENV, { recursive: true, force: true });
  mkdirSync(path.dirname(LOG), { recursive: true });
  writeFileSync(LOG, "");
  const step = (command, args) => {
    const r = spawnSync(command, args, {
      cwd: REPO,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 15 * 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    writeFileSync(LOG, `$ ${command} ${args.join(" ")}\n${r.stdout ?? ""}${r.stderr ?? ""}\n`, { flag: "a" });
    return r.status === 0;
  };
  const ok =
    step(base, ["-m", "venv", VENV]) &&
    step(VENV_PYTHON, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--only-binary=:all:", "-r", REQUIREMENTS]);
  if (!ok) {
    rmSync(VENV, { recursive: true, force: true });
    return { python: null, reason: `pip could not install jupyter/requirements.txt: ${tail(LOG)} (full output in out/provision/pip.log)` };
  }
  writeFileSync(STAMP, requirementsHash() + "\n");
  console.log(`${who}: .venv is ready (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  return { python: VENV_PYTHON, created: true };
}
