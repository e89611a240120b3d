// A node:test reporter that writes one JSON summary (counts, and every failure and skip with its file and
// reason) to its destination, for scripts/unit-tests.mjs and the last lines of `npm test`.
import path from "node:path";

const REPO = process.cwd();

/** The first useful line of a failure (the assertion's message, not "test failed"). */
function reason(error) {
  let e = error;
  for (let i = 0; i < 5 && e?.cause && (e.code === "ERR_TEST_FAILURE" || /^test failed$/i.test(String(e.message))); i++) e = e.cause;
  const text = String(e?.message ?? e ?? "").trim();
  const name = e?.name && !text.startsWith(e.name) && e.name !== "Error" ? `${e.name}: ` : "";
  const first = text.split("\n").find((line) => line.trim()) ?? "";
  return (name + first.trim()).slice(0, 300) || String(error?.failureType ?? "failed");
}

const relative = (file) => (file ? path.relative(REPO, file).split(path.sep).join("/") : "");

export default async function* summaryReporter(source) {
  const counts = {};
  const failures = [];
  const skips = [];
  const files = new Set();
  const stderr = new Map(); // file → what it wrote to stderr, for a file that fails outside any test
  for await (const event of source) {
    const data = event.data ?? {};
    if (data.file) files.add(relative(data.file));
    if (event.type === "test:stderr" && data.file) {
      stderr.set(data.file, (stderr.get(data.file) ?? "") + String(data.message ?? ""));
    } else if (event.type === "test:diagnostic" && data.nesting === 0) {
      const m = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms)\s+([\d.]+)$/.exec(String(data.message).trim());
      if (m) counts[m[1]] = Number(m[2]);
    } else if (event.type === "test:fail") {
      const type = data.details?.error?.failureType;
      if (data.details?.type === "suite" || type === "subtestsFailed") continue;
      const wholeFile = data.file && path.resolve(String(data.name)) === path.resolve(data.file);
      const said = wholeFile ? /^\s*(?:\w*Error|Error)\b[^\n]*/m.exec(stderr.get(data.file) ?? "")?.[0]?.trim() : undefined;
      failures.push({
        file: relative(data.file),
        name: wholeFile ? "(the file itself: it did not load, or exited)" : data.name,
        cancelled: type === "cancelledByParent",
        reason: said ?? reason(data.details?.error),
      });
    } else if (event.type === "test:pass" && data.skip !== undefined) {
      const suite = data.details?.type === "suite";
      skips.push({
        file: relative(data.file),
        name: suite ? `${data.name} (all its tests)` : data.name,
        suite,
        reason: typeof data.skip === "string" ? data.skip : "",
      });
    }
  }
  yield JSON.stringify({ counts, failures, skips, files: [...files].filter(Boolean).sort() }, null, 1) + "\n";
}
