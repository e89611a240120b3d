// What the notebook scripts share: where the lessons are, and reading/writing .ipynb files.
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const NOTEBOOKS_DIR = path.join(REPO, "notebooks");

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
