// The house rules of src/, checked from the code itself: folders import one way (no cycles), each folder's main
// file says what lives there and what it may import, no file is too long, and the core entry stays small.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

const SRC = path.resolve(__dirname, "..", "src");
/** The folders, lowest first: a folder may import the ones before it (and the top-level cross-cutting files). */
const LAYERS = ["kernel", "beam", "mqtt", "plots", "feed", "live", "classroom", "lessons", "cli"] as const;
/** The file in each folder that opens with what lives there and what the folder may import. */
const MAIN_FILES: Record<(typeof LAYERS)[number], string> = {
  kernel: "kernel/session.ts",
  beam: "beam/layout.ts",
  mqtt: "mqtt/client.ts",
  plots: "plots/show.ts",
  feed: "feed/feed.ts",
  live: "live/live-view.ts",
  classroom: "classroom/classroom.ts",
  lessons: "lessons/index.ts",
  cli: "cli/run.ts",
};

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith(".ts") ? [full] : [];
  });
}

/** The files of ours that a file imports (relative imports, resolved to .ts files). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1]!);
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    for (const candidate of [`${base}.ts`, path.join(base, "index.ts")]) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // try the next
      }
    }
    throw new Error(`${path.relative(SRC, file)} imports ${spec}, which is not a file in src/`);
  });
}

/** "kernel", "beam", …; "" for the top-level cross-cutting files; "entry" for src/index.ts. */
function folderOf(file: string): string {
  const relative = path.relative(SRC, file);
  if (relative === "index.ts") return "entry";
  return relative.includes(path.sep) ? relative.split(path.sep)[0]! : "";
}

const files = sourceFiles();

describe("the house", () => {
  test("every folder of src/ is a known layer, and the top level holds only the entry and a few cross-cutting files", () => {
    const folders = new Set(files.map(folderOf).filter((f) => f !== "" && f !== "entry"));
    assert.deepEqual([...folders].sort(), [...LAYERS].sort());
    const top = files.filter((f) => folderOf(f) === "").map((f) => path.basename(f));
    assert.ok(top.length <= 5, `top-level files: ${top.join(", ")}`);
  });

  test("folders import only the folders below them; cross-cutting files import none", () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = folderOf(file);
      for (const target of importsOf(file)) {
        const to = folderOf(target);
        if (to === from || to === "") continue;
        const ok =
          from === "entry"
            ? to !== "cli"
            : from !== "" && LAYERS.indexOf(to as never) >= 0 && LAYERS.indexOf(to as never) < LAYERS.indexOf(from as never);
        if (!ok) wrong.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
      }
    }
    assert.deepEqual(wrong, [], `imports against the flow:\n${wrong.join("\n")}`);
  });

  test("no import cycle between files", () => {
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const state = new Map<string, "visiting" | "done">();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(" → "));
        return;
      }
      state.set(file, "visiting");
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, "done");
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  test("each folder's main file opens by saying what lives there and what it may import", () => {
    for (const [folder, main] of Object.entries(MAIN_FILES)) {
      const opening = /^\s*(?:#!.*\n)?\/\*\*([\s\S]*?)\*\//.exec(readFileSync(path.join(SRC, main), "utf8"))?.[1] ?? "";
      assert.match(opening, /may import/, `${main} (the main file of ${folder}/) should open with what the folder may import`);
    }
  });

  test("no file in src/ is over 400 lines", () => {
    const long = files.map((f) => [path.relative(SRC, f), readFileSync(f, "utf8").split("\n").length] as const).filter(([, n]) => n > 400);
    assert.deepEqual(long, []);
  });

  test("the core entry point exports at most 50 runtime names, none of them also in learning-mqtt/lessons", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const core = Object.keys(require(path.join(SRC, "index.ts")) as object);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lessons = Object.keys(require(path.join(SRC, "lessons", "index.ts")) as object);
    assert.ok(core.length <= 50, `${core.length} names: ${core.join(", ")}`);
    assert.deepEqual(
      core.filter((name) => lessons.includes(name)),
      [],
    );
  });
});
