// `npm run test:unit [-- test/some/folder test/x.test.ts …]`: every test/**/*.test.ts at any depth (Node 20's
// --test does not expand globs, and the shell's * does not recurse), one file at a time, with Node's spec
// report; then the counts, every failure and every skip with its reason. Exit 1 if anything failed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseCommandLine } from "./cli-args.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values, positionals } = parseCommandLine(
  "test:unit",
  "npm run test:unit -- [--summary FILE] [folder or file.test.ts …]   (default: test/, every *.test.ts at any depth)",
  { summary: { type: "string" } },
);

/** The *.test.ts files under a folder, at any depth, in path order (node_modules and dot-folders left out). */
export function findTestFiles(dir) {
  const found = [];
  const walk = (folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".test.ts")) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

const targets = positionals.length > 0 ? positionals : ["test"];
const files = [];
for (const target of targets) {
  const full = path.resolve(target);
  if (!existsSync(full)) {
    console.error(`test:unit: ${target} does not exist`);
    process.exit(2);
  }
  files.push(...(statSync(full).isDirectory() ? findTestFiles(full) : [full]));
}
if (files.length === 0) {
  console.error(`test:unit: no *.test.ts files in ${targets.join(", ")}`);
  process.exit(2);
}

const summaryFile = path.resolve(values.summary ?? path.join(REPO, "out", "test-summary", "unit.json"));
mkdirSync(path.dirname(summaryFile), { recursive: true });
const reporter = path.join(REPO, "scripts", "test-summary-reporter.mjs");
const args = [
  "--import",
  "tsx",
  "--test",
  "--test-concurrency=1",
  "--test-reporter=spec",
  "--test-reporter-destination=stdout",
  `--test-reporter=${reporter}`,
  `--test-reporter-destination=${summaryFile}`,
  ...files.map((f) => path.relative(REPO, f)),
];
const child = spawn(process.execPath, args, { cwd: REPO, stdio: ["ignore", "pipe", "inherit"] });
// Ctrl-C reaches the test processes directly (same process group); wait for them to report.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));

// A file whose tests are over but whose process stays (a client left connected after a failed assertion) would
// hang the run: after SILENCE_S seconds without a word from the runner, its test processes are stopped, so that
// the file is reported as failed and the run goes on. Every test here has its own, shorter time limit.
const SILENCE_S = Number(process.env.LEARNING_MQTT_TEST_SILENCE_S) || 600;
const stopped = new Set();
let lastOutput = Date.now();
child.stdout.on("data", (chunk) => {
  lastOutput = Date.now();
  process.stdout.write(chunk);
});
const watchdog = setInterval(() => {
  if (Date.now() - lastOutput < SILENCE_S * 1000) return;
  lastOutput = Date.now();
  const ps = spawnSync("ps", ["-o", "pid=,args=", "--ppid", String(child.pid)], { encoding: "utf8" });
  for (const line of (ps.stdout ?? "").trim().split("\n").filter(Boolean)) {
    const [pid, ...rest] = line.trim().split(/\s+/);
    const file = rest.find((a) => a.endsWith(".test.ts")) ?? rest.join(" ");
    stopped.add(path.relative(REPO, file).split(path.sep).join("/"));
    console.log(
      `test:unit: nothing reported for ${SILENCE_S} s: stopping ${path.relative(REPO, file)} (a handle left open after its tests?)`,
    );
    try {
      process.kill(Number(pid), "SIGTERM");
    } catch {
      // already gone
    }
  }
}, 5000);
const code = await new Promise((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));
clearInterval(watchdog);

let summary;
try {
  summary = JSON.parse(readFileSync(summaryFile, "utf8"));
} catch {
  console.log(`test:unit: node --test exited ${code} without a summary`);
  process.exit(code || 1);
}
for (const f of summary.failures) {
  if (stopped.has(f.file) && f.name.startsWith("(the file itself")) {
    f.reason = `its process was still there ${SILENCE_S} s after the last report, and was stopped (a client, server or timer left open?)`;
  }
}
if (stopped.size > 0) writeFileSync(summaryFile, JSON.stringify(summary, null, 1) + "\n");
const { counts, failures, skips } = summary;
const passed = counts.pass ?? 0;
const failed = (counts.fail ?? 0) + (counts.cancelled ?? 0);
console.log("");
if (failures.length > 0) {
  console.log(`failed (${failures.length}):`);
  for (const f of failures) console.log(`  ✖ ${f.file} › ${f.name}${f.cancelled ? " (cancelled)" : ""}: ${f.reason}`);
}
if (skips.length > 0) {
  console.log(`skipped (${skips.length}):`);
  for (const s of skips) console.log(`  - ${s.file} › ${s.name}${s.reason ? `: ${s.reason}` : ""}`);
}
// A skipped describe() counts as one: Node counts neither it nor the tests it did not run.
const skipped = (counts.skipped ?? 0) + skips.filter((s) => s.suite).length;
console.log(`unit tests: ${passed} passed, ${failed} failed, ${skipped} skipped (${files.length} files)`);
process.exit(code !== 0 || failed > 0 ? 1 : 0);
