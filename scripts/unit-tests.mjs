// `npm run test:unit [-- test/some/folder test/x.test.ts …]`: every test/**/*.test.ts at any depth (Node 20's
// --test does not expand globs, and the shell's * does not recurse), one file at a time, with Node's spec
// report; then the counts, every failure and every skip with its reason. Exit 1 if anything failed.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
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
const child = spawn(process.execPath, args, { cwd: REPO, stdio: "inherit" });
// Ctrl-C reaches the test processes directly (same process group); wait for them to report.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
const code = await new Promise((resolve) => child.on("exit", (c, signal) => resolve(c ?? (signal ? 1 : 0))));

let summary;
try {
  summary = JSON.parse(readFileSync(summaryFile, "utf8"));
} catch {
  console.log(`test:unit: node --test exited ${code} without a summary`);
  process.exit(code || 1);
}
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
