// `npm test` checks scripts/system-packages.json before it runs anything: installs what is missing with apt-get
// when it may (root, or a sudo without password), else stops with one line naming the command. A package is
// made "missing" with LEARNING_MQTT_PRETEND_MISSING, and apt-get is a recording stand-in on PATH, so nothing is
// really installed here.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";

const REPO = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "learning-mqtt-provision-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const list = JSON.parse(readFileSync(path.join(REPO, "scripts", "system-packages.json"), "utf8")) as {
  packages: { name: string; why: string; for: string[] }[];
};
const isRoot = process.getuid?.() === 0;

/** A stand-in apt-get that writes its arguments to calls.txt and succeeds. */
function fakeAptGet(): { bin: string; calls: () => string[] } {
  const bin = mkdtempSync(path.join(dir, "bin-"));
  const log = path.join(bin, "calls.txt");
  writeFileSync(path.join(bin, "apt-get"), `#!/bin/sh\necho "$*" >> '${log}'\n`);
  chmodSync(path.join(bin, "apt-get"), 0o755);
  return { bin, calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []) };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const ensure = (purpose: string, env: NodeJS.ProcessEnv) =>
  run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { ensurePackages } from "./scripts/provision.mjs"; ensurePackages(${JSON.stringify(purpose)}, { who: "npm test" });`,
    ],
    env,
  );

test("the package list names each package once and says why; .ci/run and the test helpers repeat none of it", () => {
  const names = list.packages.map((p) => p.name);
  assert.equal(new Set(names).size, names.length);
  for (const p of list.packages) assert.ok(p.why.length > 10 && p.for.length > 0, p.name);
  assert.ok(names.includes("mosquitto") && names.includes("chromium") && names.includes("jupyter-notebook"));
  const ci = readFileSync(path.join(REPO, ".ci", "run"), "utf8").replace(/^#.*$/gm, "");
  for (const name of names) assert.doesNotMatch(ci, new RegExp(`\\b${name}\\b`), `.ci/run installs nothing itself (${name})`);
  assert.match(ci, /^npm ci\b/m);
  assert.match(ci, /^npm test$/m);
  assert.doesNotMatch(readFileSync(path.join(REPO, "test", "helpers", "mosquitto.ts"), "utf8"), /apt-get install/);
});

test("when everything is there, nothing is installed and apt-get is never called", async () => {
  const apt = fakeAptGet();
  const { code, stdout, stderr } = await ensure("test", { PATH: `${apt.bin}:${process.env.PATH}`, LEARNING_MQTT_PRETEND_MISSING: "" });
  assert.equal(code, 0, stderr);
  assert.equal(stdout + stderr, "");
  assert.deepEqual(apt.calls(), []);
});

test(
  "as root, a missing package is installed with apt-get, with one line saying what and why",
  { skip: !isRoot && "needs root" },
  async () => {
    const apt = fakeAptGet();
    const { code, stdout, stderr } = await ensure("test", {
      PATH: `${apt.bin}:${process.env.PATH}`,
      LEARNING_MQTT_PRETEND_MISSING: "mosquitto,openssl",
    });
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split("\n");
    assert.match(
      lines[0]!,
      /^npm test: installing mosquitto \(a real MQTT broker for the integration tests\), openssl \(throwaway certificates for the TLS tests\) from Debian's packages with apt-get \(running as root\)\.\.\.$/,
    );
    assert.match(lines.at(-1)!, /^npm test: installed mosquitto, openssl in \d+ s$/);
    assert.deepEqual(apt.calls(), ["-o DPkg::Lock::Timeout=120 install -y -q mosquitto openssl"]);
  },
);

test("as root, a failed install stops with one line pointing at apt-get's output", { skip: !isRoot && "needs root" }, async () => {
  const bin = mkdtempSync(path.join(dir, "bin-"));
  writeFileSync(path.join(bin, "apt-get"), `#!/bin/sh\necho "E: Unable to locate package $5" >&2\nexit 100\n`);
  chmodSync(path.join(bin, "apt-get"), 0o755);
  const { code, stderr } = await ensure("test", { PATH: `${bin}:${process.env.PATH}`, LEARNING_MQTT_PRETEND_MISSING: "chromium" });
  assert.equal(code, 1);
  assert.match(
    stderr.trim(),
    /^npm test: apt-get could not install chromium: E: Unable to locate package .*\(full output in out\/provision\/apt\.log\)$/,
  );
});

test(
  "as a user who may not install, npm test stops before running anything, with one line naming the command",
  { skip: !isRoot && "needs root to become nobody" },
  async () => {
    // The real thing: `nobody`, with no sudo, runs the README's test command.
    const home = mkdtempSync(path.join(dir, "home-"));
    chmodSync(home, 0o777);
    const env = { LEARNING_MQTT_PRETEND_MISSING: "mosquitto,chromium", HOME: home, npm_config_cache: path.join(home, "npm") };
    const { code, stdout, stderr } = await run(
      "setpriv",
      ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", process.execPath, "scripts/test.mjs"],
      env,
    );
    assert.equal(code, 1, stdout + stderr);
    assert.equal(stdout, "", "nothing ran");
    assert.equal(
      stderr.trim(),
      "npm test: missing Debian packages mosquitto, chromium: run `sudo apt-get install -y mosquitto chromium`, then `npm test` again",
    );
  },
);

test("npm test's flags: a bad one is one line", async () => {
  const { code, stdout, stderr } = await run(process.execPath, ["scripts/test.mjs", "--no-venvv"], {});
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(stderr.trim(), "npm test: unknown option --no-venvv (try --help)");
});
