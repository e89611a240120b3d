// The allocator setting the kernel runs with (its kernelspec's env: glibc keeps freed 704 KB payloads for the next
// pulses instead of faulting fresh pages in for each, docs/performance.md) is the one the npm run programs set too.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const REPO = path.resolve(__dirname, "..", "..");
const read = (file: string) => JSON.parse(readFileSync(path.join(REPO, file), "utf8")) as Record<string, unknown>;

test("npm run feed, listen and classroom set the kernel's GLIBC_TUNABLES", () => {
  const env = (read("jupyter/kernels/learning-mqtt/kernel.json").env ?? {}) as Record<string, string>;
  const tunables = env.GLIBC_TUNABLES;
  assert.match(tunables ?? "", /^glibc\.malloc\.mmap_threshold=\d+:glibc\.malloc\.trim_threshold=\d+$/);
  const scripts = read("package.json").scripts as Record<string, string>;
  for (const program of ["feed", "listen", "classroom"])
    assert.equal(scripts[program], `GLIBC_TUNABLES=${tunables} node dist/cli/${program}.js`, `npm run ${program}`);
});
