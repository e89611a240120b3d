// Every hint and solution of a lesson's exercises names only functions the lesson's notebook brings in: a
// solution that says rowOf(…) in a notebook that never imports it leaves a student with "Cannot find name".
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import * as core from "../../src/index";
import * as lessons from "../../src/lessons/index";
import type { Exercise } from "../../src/lessons/exercise";

const NOTEBOOKS = path.resolve(__dirname, "..", "..", "notebooks");
const moduleNames = new Set([...Object.keys(core), ...Object.keys(lessons)]);

/** The names a notebook's code cells import or declare. */
function provided(file: string): Set<string> {
  const nb = JSON.parse(readFileSync(path.join(NOTEBOOKS, file), "utf8")) as { cells: { cell_type: string; source: string[] }[] };
  const code = nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => c.source.join(""))
    .join("\n");
  const names = new Set<string>();
  for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) names.add(part.trim().replace(/^type\s+/, ""));
  }
  for (const m of code.matchAll(/\b(?:function|class|const|let)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]!);
  return names;
}

test("the hints and solutions of each lesson name only what its notebook imports or defines", () => {
  const checked: string[] = [];
  for (const [key, value] of Object.entries(lessons)) {
    const number = /^lesson(\d\d)$/.exec(key)?.[1];
    if (!number) continue;
    const file = readdirSync(NOTEBOOKS).find((f) => f.startsWith(`${number}-`));
    assert.ok(file, `a notebook ${number}-….ipynb for ${key}`);
    const have = provided(file);
    for (const [name, exercise] of Object.entries(value as Record<string, Exercise<unknown[]>>)) {
      const count = Number(/of (\d+)/.exec(exercise.hintText(1))![1]);
      const texts = [exercise.solutionText(), ...Array.from({ length: count }, (_, i) => exercise.hintText(i + 1))];
      for (const text of texts) {
        for (const m of text.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(/g)) {
          const used = m[1]!;
          if (moduleNames.has(used)) assert.ok(have.has(used), `${key}.${name} names ${used}(…), which ${file} never imports`);
        }
      }
      checked.push(`${key}.${name}`);
    }
  }
  assert.ok(checked.length >= 20, `${checked.length} exercises checked`);
});
