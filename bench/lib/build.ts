/** Compiling src/ and the benchmark's children once per run, so that the children run what the notebooks run. */
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ROOT } from "./procs";

/**
 * Compiles src/ and the benchmark's children with tsc (the project's compiler options, as `npm run build`
 * uses for dist/) into out/bench/build: the children then run the code the notebooks import — the compiled
 * JavaScript — with plain node, from this very tree.
 */
export function build(outDir: string, log: (m: string) => void): string {
  const dir = join(outDir, "build");
  rmSync(dir, { recursive: true, force: true });
  const config = join(outDir, "tsconfig.bench.json");
  writeFileSync(
    config,
    JSON.stringify({
      extends: relative(outDir, join(ROOT, "tsconfig.json")),
      compilerOptions: { rootDir: relative(outDir, ROOT), outDir: "build", declaration: false, sourceMap: false, noEmit: false },
      include: ["src", "bench/children", "bench/lib"].map((d) => relative(outDir, join(ROOT, d))),
    }),
  );
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", config], { cwd: ROOT, encoding: "utf8" });
  if (!existsSync(join(dir, "src", "index.js")) || !existsSync(join(dir, "bench", "children", "subscriber.js"))) {
    throw new Error(`cannot compile src/ and bench/ (tsc -p ${config}):\n${result.stdout}${result.stderr}`);
  }
  if (result.status !== 0) log(`tsc reported type errors (the build is used anyway):\n${result.stdout.trim()}`);
  return dir;
}
