// The system packages of scripts/system-packages.json: which are missing, and installing them from Debian's
// packages for `npm test` and `npm start` (as root, or with a sudo that needs no password). Plain Node ESM.
//
// Checking touches no network and takes a few milliseconds plus one short Python process. Set
// LEARNING_MQTT_PRETEND_MISSING=mosquitto,chromium to have those counted as missing (to try this code).
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PACKAGE_LIST = path.join(REPO, "scripts", "system-packages.json");
const LOG_DIR = path.join(REPO, "out", "provision");

/** The list: { python, packages: [{ name, why, for: [purpose…], check }] }. */
export function loadPackageList() {
  return JSON.parse(readFileSync(PACKAGE_LIST, "utf8"));
}

/** The packages needed for `purpose` ("test", "venv", "classic", "bench"). */
export function packagesFor(purpose, list = loadPackageList()) {
  return list.packages.filter((p) => p.for.includes(purpose));
}

function pretended() {
  return new Set((process.env.LEARNING_MQTT_PRETEND_MISSING ?? "").split(/[\s,]+/).filter(Boolean));
}

function onPath(command) {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/sbin", "/usr/bin", "/sbin", "/bin"];
  return dirs.some((dir) => {
    if (!dir) return false;
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Which Python modules `python` can find (without importing them); all false if it does not run. */
function pythonModules(python, modules) {
  if (modules.length === 0) return {};
  const probe = `import importlib.util, json\ndef has(m):\n  try:\n    return importlib.util.find_spec(m) is not None\n  except Exception:\n    return False\nprint(json.dumps({m: has(m) for m in ${JSON.stringify(modules)}}))`;
  const r = spawnSync(python, ["-c", probe], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20_000 });
  try {
    return r.status === 0 ? JSON.parse(r.stdout.trim().split("\n").pop()) : {};
  } catch {
    return {};
  }
}

/** The packages for `purpose` that are not there, as [{ name, why }]. */
export function missingPackages(purpose) {
  const list = loadPackageList();
  const wanted = packagesFor(purpose, list);
  const modules = wanted.filter((p) => p.check.python).map((p) => p.check.python);
  const found = pythonModules(list.python, modules);
  const pretend = pretended();
  return wanted.filter((p) => {
    if (pretend.has(p.name)) return true;
    const { file, command, python } = p.check;
    if (file) return !file.some((f) => existsSync(f));
    if (command) return !onPath(command);
    if (python) return !found[python];
    return false;
  });
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** How this process can run apt-get: [] as root, ["sudo", "-n"] with a sudo that needs no password, or null. */
function aptPrefix() {
  if (!onPath("apt-get")) return null;
  if (isRoot()) return [];
  if (onPath("sudo") && spawnSync("sudo", ["-n", "true"], { stdio: "ignore", timeout: 5000 }).status === 0) return ["sudo", "-n"];
  return null;
}

/** The one command a person runs to install `names`. */
export function installCommand(names) {
  if (!onPath("apt-get")) return null;
  return `${isRoot() ? "" : "sudo "}apt-get install -y ${names.join(" ")}`;
}

/** Whether apt has package lists at all (a fresh machine may have none until `apt-get update`). */
function hasAptLists() {
  try {
    return readdirSync("/var/lib/apt/lists").some((f) => f.endsWith("_Packages") || f.includes("_Packages."));
  } catch {
    return false;
  }
}

function apt(prefix, args, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const [command, ...rest] = [...prefix, "apt-get"];
  const r = spawnSync(command, [...rest, "-o", "DPkg::Lock::Timeout=120", ...args], {
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 20 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  writeFileSync(log, `$ ${[command, ...rest, "apt-get", ...args].join(" ")}\n${r.stdout ?? ""}${r.stderr ?? ""}\n`, { flag: "a" });
  const lastLine =
    `${r.stderr ?? ""}\n${r.stdout ?? ""}`
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? "";
  return { ok: r.status === 0, lastLine: r.error ? r.error.message : lastLine };
}

/**
 * Makes sure the packages for `purpose` are there. Nothing missing: returns at once (no network). Missing
 * and installable (root or sudo -n): says in one line what it installs and why, installs with apt-get,
 * and returns the names. Otherwise prints one line naming the command to run and exits 1 (unless
 * `exitOnFailure` is false: then it returns null).
 * @returns {{ installed: string[], seconds: number } | null}
 */
export function ensurePackages(purpose, { who = "npm test", exitOnFailure = true } = {}) {
  const missing = missingPackages(purpose);
  if (missing.length === 0) return { installed: [], seconds: 0 };
  const names = missing.map((p) => p.name);
  const reasons = missing.map((p) => `${p.name} (${p.why})`).join(", ");
  const stop = (line) => {
    console.error(line);
    if (exitOnFailure) process.exit(1);
    return null;
  };
  const prefix = aptPrefix();
  if (prefix === null) {
    const command = installCommand(names);
    return stop(
      command
        ? `${who}: missing Debian packages ${names.join(", ")}: run \`${command}\`, then \`${who}\` again`
        : `${who}: missing system packages ${names.join(", ")} (Debian's names; see scripts/system-packages.json): install them, then \`${who}\` again`,
    );
  }
  const started = Date.now();
  console.log(
    `${who}: installing ${reasons} from Debian's packages with ${prefix.length ? "sudo apt-get" : "apt-get (running as root)"}...`,
  );
  mkdirSync(LOG_DIR, { recursive: true });
  const log = path.join(LOG_DIR, "apt.log");
  writeFileSync(log, "");
  let updated = false;
  if (!hasAptLists()) {
    apt(prefix, ["update", "-q"], log);
    updated = true;
  }
  let result = apt(prefix, ["install", "-y", "-q", ...names], log);
  if (!result.ok && !updated) {
    apt(prefix, ["update", "-q"], log); // stale or missing lists: "Unable to locate package", 404s
    result = apt(prefix, ["install", "-y", "-q", ...names], log);
  }
  const still = missingPackages(purpose).filter((p) => !pretended().has(p.name));
  if (!result.ok || still.length > 0) {
    const rel = path.relative(process.cwd(), log) || log;
    return stop(
      `${who}: apt-get could not install ${(still.length ? still.map((p) => p.name) : names).join(", ")}: ${result.lastLine} (full output in ${rel})`,
    );
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`${who}: installed ${names.join(", ")} in ${seconds.toFixed(0)} s`);
  return { installed: names, seconds };
}
