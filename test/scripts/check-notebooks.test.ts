// `npm run check:notebooks` on notebooks written for the purpose, run as npm runs it: what it fails on, and what it
// lets through. (Its other checks are exercised by the committed notebooks on every `npm test`.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";

const REPO = path.resolve(__dirname, "..", "..");
const dir = mkdtempSync(path.join(tmpdir(), "check-notebooks-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a clean notebook with these cells ([kind, source]) and runs the check on it alone. */
function check(cells: Array<["markdown" | "code", string]>): { status: number | null; out: string } {
  const file = path.join(dir, `nb-${Math.random().toString(36).slice(2)}.ipynb`);
  const nb = {
    cells: cells.map(([kind, source], i) => ({
      cell_type: kind,
      id: `cell-${i}`,
      metadata: {},
      source,
      ...(kind === "code" ? { execution_count: null, outputs: [] } : {}),
    })),
    metadata: { kernelspec: { name: "learning-mqtt", display_name: "TypeScript (learning-mqtt)", language: "typescript" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(file, JSON.stringify(nb));
  const run = spawnSync(process.execPath, ["scripts/check-notebooks.mjs", file], { cwd: REPO, encoding: "utf8" });
  return { status: run.status, out: run.stdout + run.stderr };
}

describe("check:notebooks", () => {
  test("a code line longer than the classic Notebook shows (90 characters) fails, naming cell and line", () => {
    const long = `console.log("${"x".repeat(75)}");`; // 91 characters
    const result = check([["code", `const a = 1;\n${long}`]]);
    assert.equal(result.status, 1, result.out);
    assert.match(
      result.out,
      /FAIL .*cell 1 \(id cell-0\) line 2: code line of 91 characters \(the classic Notebook shows about 90\): break it/,
    );
    assert.equal(check([["code", `console.log("${"x".repeat(74)}");`]]).status, 0, "90 characters are fine");
  });

  test("prose naming a module function that no code cell imports fails; imported or defined ones pass", () => {
    const result = check([
      ["markdown", 'Use `rowOf("R4BLM3")` to find the row.'],
      ["code", 'import { CHANNELS } from "learning-mqtt";'],
    ]);
    assert.equal(result.status, 1, result.out);
    assert.match(result.out, /cell 1 \(id cell-0\) line 1: names rowOf, which no code cell of this notebook imports or defines/);
    assert.equal(
      check([
        ["markdown", '`rowOf("R4BLM3")`'],
        ["code", 'import { rowOf } from "learning-mqtt";'],
      ]).status,
      0,
    );
    assert.equal(
      check([
        ["markdown", '`rowOf("R4BLM3")`'],
        ["code", "function rowOf(name: string) {\n  return 0;\n}"],
      ]).status,
      0,
    );
  });

  test("prose about Python, methods, constants and code in fenced blocks is not judged", () => {
    const result = check([
      ["markdown", 'The original used `range(1, 39)` and `get_live_data(topic, seconds)`; `pulse.channel("R1BLM3")`; `TODO`.'],
      ["markdown", '```ts\nrowOf("R5IM")\n```'],
    ]);
    assert.equal(result.status, 0, result.out);
  });
});
