// `npm test`: first the system packages of scripts/system-packages.json (installed from Debian's packages when
// run as root or with sudo; otherwise one line naming the command, before anything runs) and the project's
// .venv (JupyterLab 4 and Notebook 7 from PyPI, when PyPI answers); then every check in order. A failing step
// does not hide the later ones (only the steps that need a build wait for a good one), and the last lines
// say what ran, what failed and why, and what was skipped.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine } from "./cli-args.mjs";
import { ensurePackages } from "./provision.mjs";
import { ensureVenv } from "./venv.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseCommandLine(
  "npm test",
  "npm test [-- --no-venv]   (installs what the tests need, then build, type-check, notebook checks, unit tests, notebooks)",
  { "no-venv": { type: "boolean" } },
  { allowPositionals: false },
);
const UNIT_SUMMARY = path.join(REPO, "out", "test-summary", "unit.json");

/** The steps, in order: an npm script each (those package.json has); `needsBuild` steps wait for a good build. */
const scripts = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")).scripts ?? {};
const STEPS = [
  { name: "build", script: "build" },
  { name: "typecheck", script: "typecheck" },
  { name: "lint", script: "lint" },
  { name: "check:notebooks", script: "check:notebooks" },
  { name: "nav --check", script: "nav", args: ["--check"] },
  { name: "unit tests", script: "test:unit", args: ["--summary", UNIT_SUMMARY], needsBuild: true },
  { name: "notebooks", script: "notebooks", needsBuild: true },
].filter((step) => step.script in scripts);

const started = Date.now();
const seconds = (ms) =>
  ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

// 1. What the tests need. Nothing missing: no network, no delay.
const provisioned = ensurePackages("test", { who: "npm test" });
let venvNote;
if (values["no-venv"]) process.env.LEARNING_MQTT_NO_VENV = "1";
const venv = await ensureVenv({ who: "npm test" });
if (!venv.python) {
  venvNote = `no .venv (${venv.reason}): the JupyterLab 4 and Notebook 7 browser tests are skipped, the rest runs on Debian's Jupyter`;
  console.log(`npm test: ${venvNote}`);
}

// 2. The steps.
const npm = process.env.npm_execpath
  ? { command: process.execPath, args: [process.env.npm_execpath] }
  : { command: process.platform === "win32" ? "npm.cmd" : "npm", args: [] };
let interrupted = false;
process.on("SIGINT", () => (interrupted = true)); // the step's processes get it too and report
process.on("SIGTERM", () => (interrupted = true));

function runStep(step) {
  return new Promise((resolve) => {
    const child = spawn(npm.command, [...npm.args, "run", "--silent", step.script, ...(step.args ? ["--", ...step.args] : [])], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let tailText = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      tailText = (tailText + chunk).slice(-20_000);
    });
    child.on("exit", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: tailText }));
  });
}

rmSync(UNIT_SUMMARY, { force: true }); // a summary left from an earlier run must not count
const results = [];
let buildFailed = false;
for (const step of STEPS) {
  if (interrupted) {
    results.push({ step, status: "not run", note: "interrupted" });
    continue;
  }
  if (step.needsBuild && buildFailed) {
    results.push({ step, status: "not run", note: "the build failed" });
    continue;
  }
  console.log(`\n── npm test: ${step.name} ──`);
  const t = Date.now();
  const { code, output } = await runStep(step);
  const result = { step, status: code === 0 ? "ok" : "FAIL", ms: Date.now() - t, output };
  if (step.script === "build" && code !== 0) buildFailed = true;
  results.push(result);
}

// 3. The last lines: what ran, what failed and why, what was skipped.
let unit;
try {
  unit = JSON.parse(readFileSync(UNIT_SUMMARY, "utf8"));
} catch {
  unit = undefined;
}
let passed = 0;
let failed = 0;
let skipped = 0;
const lines = ["", "── npm test: summary ──"];
const installed = provisioned.installed.length
  ? `installed ${provisioned.installed.join(", ")} (${seconds(provisioned.seconds * 1000)})`
  : "all present";
lines.push(`ok    system packages   ${installed}; .venv ${venv.python ? (venv.created ? "created" : "ready") : "absent"}`);
for (const r of results) {
  const name = r.step.name.padEnd(16);
  let detail = r.note ?? seconds(r.ms);
  if (r.step.script === "test:unit" && r.status !== "not run" && unit) {
    const c = unit.counts;
    const f = (c.fail ?? 0) + (c.cancelled ?? 0);
    passed += c.pass ?? 0;
    failed += f;
    const s = (c.skipped ?? 0) + unit.skips.filter((x) => x.suite).length; // a skipped describe() counts as one
    skipped += s;
    detail = `${c.pass ?? 0} passed, ${f} failed, ${s} skipped in ${unit.files.length} files (${seconds(r.ms)})`;
  } else if (r.step.script === "notebooks" && r.status !== "not run") {
    const m = /^notebooks: (\d+) passed, (\d+) failed/m.exec(r.output);
    if (m) {
      passed += Number(m[1]);
      failed += Number(m[2]);
      detail = `${m[1]} passed, ${m[2]} failed (${seconds(r.ms)})`;
    } else if (r.status === "FAIL") failed += 1;
  } else if (r.status === "FAIL") failed += 1;
  lines.push(`${r.status === "not run" ? "-    " : r.status.padEnd(6)}${name}  ${r.status === "not run" ? `not run: ${detail}` : detail}`);
  if (r.status !== "FAIL") continue;
  if (r.step.script === "test:unit" && unit?.failures.length) {
    const shown = unit.failures.slice(0, 15);
    for (const f of shown) lines.push(`        ✖ ${f.file} › ${f.name}${f.cancelled ? " (cancelled)" : ""}: ${f.reason}`);
    if (unit.failures.length > shown.length) lines.push(`        … and ${unit.failures.length - shown.length} more (above)`);
  } else if (r.step.script === "notebooks") {
    for (const l of r.output
      .split("\n")
      .filter((l) => /^ {2}\S.*: cell \d+/.test(l))
      .slice(0, 10))
      lines.push(`        ✖${l.slice(1)}`);
  } else {
    const last = r.output
      .trim()
      .split("\n")
      .filter((l) => l.trim())
      .slice(-3);
    for (const l of last) lines.push(`        ${l.trim().slice(0, 200)}`);
  }
}
if (unit?.skips.length) {
  lines.push(`skipped:`);
  for (const s of unit.skips) lines.push(`        - ${s.file} › ${s.name}${s.reason ? `: ${s.reason}` : ""}`);
}
if (venvNote) lines.push(`note: ${venvNote}`);
lines.push(`npm test took ${seconds(Date.now() - started)}${interrupted ? " (interrupted)" : ""}`);
lines.push(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
console.log(lines.join("\n"));
process.exit(interrupted ? 130 : results.some((r) => r.status === "FAIL" || r.note === "the build failed") ? 1 : 0);
