// The notebook plumbing: `npm run notebooks` (scripts/run-notebooks.mjs) runs notebooks through the real
// learning-mqtt kernel and names the failing cell; `npm run check:notebooks` rejects unclean notebooks.
// Needs a Python with nbclient (Debian's jupyter-notebook) and `npm install`; about 15 s.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { VENV_PYTHON, venvFrontEnds } from "../helpers/jupyter-server";

const REPO = path.resolve(__dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "learning-mqtt-notebooks-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

type Cell = { cell_type: "code" | "markdown"; source: string; id?: string; outputs?: unknown[]; execution_count?: number | null };

/** Writes a notebook as Jupyter saves it (clean: no outputs, ids present, the project kernel). */
function notebook(name: string, cells: Cell[], kernel = "learning-mqtt"): string {
  const file = path.join(dir, name);
  const nb = {
    cells: cells.map((cell, index) => ({
      id: `cell-${index + 1}`,
      metadata: {},
      ...(cell.cell_type === "code" ? { outputs: [], execution_count: null } : {}),
      ...cell,
      source: cell.source.split(/(?<=\n)/),
    })),
    metadata: { kernelspec: { name: kernel, display_name: "TypeScript (learning-mqtt)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
  return file;
}

const code = (source: string): Cell => ({ cell_type: "code", source });
const markdown = (source: string): Cell => ({ cell_type: "markdown", source });

/**
 * Runs a script with `env` added to the environment; `signal` (a test's, aborted at its timeout) stops it with
 * SIGTERM, which the runner passes on.
 */
function run(
  script: string,
  args: string[],
  { env = {}, signal }: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, "scripts", script), ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
      signal,
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

// Temporary notebooks live outside the repository, so the kernel runs in the repository root
// (--cwd) where `learning-mqtt` resolves through node_modules; results go to the temporary folder.
const out = path.join(dir, "out");
const runNotebooks = (...args: string[]) => run("run-notebooks.mjs", ["--cwd", REPO, "--out", out, ...args]);
const runNotebooksUntil = (signal: AbortSignal, ...args: string[]) =>
  run("run-notebooks.mjs", ["--cwd", REPO, "--out", out, ...args], { signal });
const check = (...files: string[]) => run("check-notebooks.mjs", files);

test("a working notebook passes, and its executed copy holds the outputs", async () => {
  const file = notebook("good.ipynb", [
    markdown("# A notebook that works"),
    code('import { CHANNELS } from "learning-mqtt";\nconsole.log(CHANNELS.length);'),
    code("const twice = (n: number): number => 2 * n;\nvoid twice(21);"),
  ]);
  const { code: exit, output } = await runNotebooks(file);
  assert.equal(exit, 0, output);
  assert.match(output, /ok\s+\S*good\.ipynb: 2 cells executed in [\d.]+ s/);
  assert.match(output, /^notebooks: 1 passed, 0 failed$/m);
  const executed = JSON.parse(readFileSync(path.join(out, "notebooks", "good.ipynb"), "utf8")) as {
    cells: { outputs?: { text?: string[] }[] }[];
  };
  const printed = executed.cells[1]?.outputs?.flatMap((o) => o.text ?? []).join("");
  assert.equal(printed, "40\n");
  // The source is left as it was.
  assert.doesNotMatch(readFileSync(file, "utf8"), /"output_type"/);
});

// The runner takes the .venv's nbclient when there is a .venv (npm test makes one when PyPI answers), else
// Debian's: both must judge the same way.
const RUNNERS = [
  { name: "the .venv's nbclient", python: VENV_PYTHON, there: !venvFrontEnds().reason },
  { name: "Debian's nbclient", python: "/usr/bin/python3", there: existsSync("/usr/lib/python3/dist-packages/nbclient") },
];
for (const runner of RUNNERS) {
  const skip = runner.there ? false : `${runner.name} not tested: ${runner.python} is not there (or LEARNING_MQTT_NO_VENV is set)`;
  test(`with ${runner.name}, a good notebook passes and a broken one is named`, { skip }, async () => {
    const nbclient = execFileSync(runner.python, ["-c", "import importlib.metadata as m; print(m.version('nbclient'))"], {
      encoding: "utf8",
    }).trim();
    const good = notebook(`good-${nbclient}.ipynb`, [code('import { CHANNELS } from "learning-mqtt";\nconsole.log(CHANNELS.length);')]);
    const broken = notebook(`broken-${nbclient}.ipynb`, [code("const x = 1;"), code('throw new Error("broken on purpose");')]);
    const { code: exit, output } = await run("run-notebooks.mjs", ["--cwd", REPO, "--out", out, good, broken], {
      env: { JUPYTER_PYTHON: runner.python },
    });
    assert.equal(exit, 1, output);
    assert.match(
      output,
      new RegExp(`^runner: nbclient ${nbclient.replace(/\./g, "\\.")}, `, "m"),
      "the runner says which nbclient it used",
    );
    assert.match(output, /ok\s+\S*good-[\d.]+\.ipynb: 1 cell executed/);
    assert.match(output, /broken-[\d.]+\.ipynb: cell 2 \(id cell-2\): Error: broken on purpose/);
    assert.match(output, /^notebooks: 1 passed, 1 failed$/m);
  });
}

test("without JUPYTER_PYTHON the runner takes the .venv when there is one, else Debian's", async () => {
  const file = notebook("which.ipynb", [code("void 0;")]);
  const { code: exit, output } = await runNotebooks(file);
  assert.equal(exit, 0, output);
  const expected = RUNNERS.find((r) => r.there)!;
  assert.match(output, new RegExp(`^runner: .*\\(${expected.python.replace(/[./]/g, (c) => `\\${c}`)}\\)$`, "m"));
});

test("a bad flag is one line naming it, never a stack trace", async () => {
  const { code: exit, output } = await runNotebooks("--timeuot", "5");
  assert.equal(exit, 2);
  assert.equal(output.trim(), "npm run notebooks: unknown option --timeuot (try --help)");
  const fixCheck = await run("check-notebooks.mjs", ["--fxi"]);
  assert.equal(fixCheck.code, 2);
  assert.equal(fixCheck.output.trim(), "check:notebooks: unknown option --fxi (try --help)");
});

test("a failing cell fails the run and is named with its notebook, number, id and message", async () => {
  const file = notebook("broken.ipynb", [
    code("const before = 1;"),
    code('throw new Error("deliberately broken");'),
    code('console.log("not reached");'),
  ]);
  const { code: exit, output } = await runNotebooks(file);
  assert.equal(exit, 1, output);
  assert.match(output, /broken\.ipynb: cell 2 \(id cell-2\): Error: deliberately broken/);
  assert.match(output, /^notebooks: 0 passed, 1 failed$/m);
});

// The cell never ends, so the run ends only if the runner stops the kernel at the limit; the test's own
// timeout (60 s) bounds the wait should it not.
test("a cell that never finishes fails at the time limit", { timeout: 60_000 }, async (t) => {
  const file = notebook("hangs.ipynb", [code('console.log("start");'), code("await new Promise(() => {});")]);
  const { code: exit, output } = await runNotebooksUntil(t.signal, "--timeout", "5", file);
  assert.equal(exit, 1, output);
  assert.match(output, /hangs\.ipynb: cell 2 \(id cell-2\): timeout: still running after the 5 s time limit/);
  assert.match(output, /^notebooks: 0 passed, 1 failed$/m);
});

test("the checker passes a clean notebook", async () => {
  mkdirSync(path.join(dir, "assets"), { recursive: true });
  writeFileSync(path.join(dir, "assets", "beam.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  const file = notebook("clean.ipynb", [
    markdown("# Clean\n![the beam](assets/beam.svg) and [MQTT](https://mqtt.org)"),
    code('const url = `mqtt://${"localhost"}:1883`;\nconst password = process.env.MQTT_PASSWORD;'),
  ]);
  const { code: exit, output } = await check(file);
  assert.equal(exit, 0, output);
  assert.match(output, /1 notebook, no problems/);
});

test("the checker rejects stored outputs and execution counts", async () => {
  const file = notebook("outputs.ipynb", [
    { cell_type: "code", source: "1 + 1", execution_count: 1, outputs: [{ output_type: "stream", name: "stdout", text: ["2\n"] }] },
  ]);
  const { code: exit, output } = await check(file);
  assert.equal(exit, 1, output);
  assert.match(output, /outputs\.ipynb: cell 1 \(id cell-1\): stored outputs/);
  assert.match(output, /outputs\.ipynb: cell 1 \(id cell-1\): stored execution_count 1/);
});

test("the checker rejects another kernel", async () => {
  const file = notebook("kernel.ipynb", [code("1")], "tslab");
  const { code: exit, output } = await check(file);
  assert.equal(exit, 1, output);
  assert.match(output, /kernel\.ipynb: kernelspec is "tslab", expected "learning-mqtt"/);
});

test("the checker rejects a hard-coded broker address", async () => {
  const file = notebook("address.ipynb", [markdown("# Broker"), code('const host = "130.246.57.45";')]);
  const { code: exit, output } = await check(file);
  assert.equal(exit, 1, output);
  assert.match(output, /address\.ipynb: cell 2 \(id cell-2\) line 1: hard-coded IPv4 address 130\.246\.57\.45/);
});

test("the checker rejects a link to a missing asset", async () => {
  const file = notebook("link.ipynb", [markdown("![a plot](../assets/missing.png)")]);
  const { code: exit, output } = await check(file);
  assert.equal(exit, 1, output);
  assert.match(output, /link\.ipynb: cell 1 \(id cell-1\) line 1: link to \.\.\/assets\/missing\.png, which does not exist/);
});

test("check --fix clears outputs and adds missing ids, then the notebook passes", async () => {
  const file = notebook("fixable.ipynb", [
    { cell_type: "code", source: "2", execution_count: 3, outputs: [{ output_type: "stream", name: "stdout", text: ["2\n"] }] },
  ]);
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells: { id?: string }[] };
  delete nb.cells[0]?.id;
  writeFileSync(file, JSON.stringify(nb));
  assert.equal((await check(file)).code, 1);
  const fixed = await run("check-notebooks.mjs", ["--fix", file]);
  assert.equal(fixed.code, 0, fixed.output);
  const after = JSON.parse(readFileSync(file, "utf8")) as { cells: { id?: string; outputs?: unknown[]; execution_count?: unknown }[] };
  assert.match(after.cells[0]?.id ?? "", /^[0-9a-f]{8}$/);
  assert.deepEqual(after.cells[0]?.outputs, []);
  assert.equal(after.cells[0]?.execution_count, null);
});
