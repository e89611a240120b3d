// What the notebook scripts share: where the lessons are, their flags, and reading/writing .ipynb files.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const NOTEBOOKS_DIR = path.join(REPO, "notebooks");

/**
 * The script's flags and paths from argv: `--help` prints the usage and exits 0; a flag that is not
 * in `known` prints one line and exits 2.
 */
export function parseScriptArgs(command, usage, known) {
  const args = process.argv.slice(2);
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  const unknown = args.filter((a) => a.startsWith("-") && !known.includes(a));
  if (unknown.length > 0) {
    console.error(`${command}: unknown option ${unknown.join(" ")} (try --help)`);
    process.exit(2);
  }
  return { flags: new Set(args.filter((a) => a.startsWith("-"))), paths: args.filter((a) => !a.startsWith("-")) };
}

/** The .ipynb files of a folder, in name order, as full paths. */
export function listNotebooks(dir = NOTEBOOKS_DIR) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".ipynb"))
    .sort()
    .map((name) => path.join(dir, name));
}

/** A cell's source as one string (Jupyter stores a list of lines, or sometimes one string). */
export function sourceOf(cell) {
  return Array.isArray(cell.source) ? cell.source.join("") : typeof cell.source === "string" ? cell.source : "";
}

/** JSON as Jupyter writes a notebook (nbformat: sorted keys, one-space indent, trailing newline). */
export function toNotebookJson(value) {
  const sort = (v) =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort(v[k])]),
          )
        : v;
  return JSON.stringify(sort(value), null, 1) + "\n";
}
