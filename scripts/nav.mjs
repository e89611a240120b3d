// `npm run nav [-- --check]`: write the navigation of the lessons, so nobody keeps it by hand.
//
// For every notebook in notebooks/, in name order:
//   - the first line of the first markdown cell and the last line of the last markdown cell become the line
//     "[← previous](…) | [Contents](00-contents.ipynb) | [next →](…)" (added if missing, replaced if stale);
//   - in 00-contents.ipynb, the lines between <!-- lessons --> and <!-- /lessons --> become the numbered
//     list of lessons, each linked, titled by its notebook's first "# " heading.
// Only those lines change: cells, ids, outputs and metadata are kept. Labels come from the file name
// (NN-…: lesson NN) and the notebook's first "# " heading.
//
// --check writes nothing and exits 1 if any notebook is stale (for npm test and CI).
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseCommandLine } from "./cli-args.mjs";
import { listNotebooks, sourceOf, toNotebookJson } from "./notebook-files.mjs";
const CONTENTS = "00-contents.ipynb";
const LESSONS_START = "<!-- lessons -->";
const LESSONS_END = "<!-- /lessons -->";
const PLACEHOLDER = "<!-- nav -->";

const { values } = parseCommandLine(
  "nav",
  "npm run nav -- [--check]   (rewrites the navigation lines of notebooks/*.ipynb; --check only reports)",
  { check: { type: "boolean" } },
  { allowPositionals: false },
);
const check = Boolean(values.check);

const notebooks = [];
for (const full of listNotebooks()) {
  const file = path.basename(full);
  const text = readFileSync(full, "utf8");
  let nb;
  try {
    nb = JSON.parse(text);
  } catch (error) {
    console.error(`nav: notebooks/${file}: invalid JSON: ${error.message}`);
    process.exit(1);
  }
  if (!Array.isArray(nb.cells)) {
    console.error(`nav: notebooks/${file}: not a notebook (no "cells" list)`);
    process.exit(1);
  }
  notebooks.push({ file, full, text, nb, title: titleOf(nb, file) });
}

const hasContents = notebooks.some((n) => n.file === CONTENTS);
const stale = [];
for (const [i, entry] of notebooks.entries()) {
  const line = navLine(i);
  const md = entry.nb.cells.filter((c) => c.cell_type === "markdown");
  if (md.length === 0) {
    console.error(`nav: notebooks/${entry.file} has no markdown cell to hold the navigation: add one at the top`);
    process.exit(1);
  }
  setSource(md[0], withFirstLine(sourceOf(md[0]), line));
  const last = md.at(-1);
  setSource(last, withLastLine(sourceOf(last), line));
  if (entry.file === CONTENTS) {
    for (const cell of md) setSource(cell, withLessonList(sourceOf(cell)));
  }
  const out = toNotebookJson(entry.nb);
  if (out !== entry.text) {
    stale.push(entry.file);
    if (!check) writeFileSync(entry.full, out);
  }
}

if (check) {
  if (stale.length > 0) {
    console.log(`nav: stale navigation in ${stale.map((f) => `notebooks/${f}`).join(", ")}: run \`npm run nav\``);
    process.exit(1);
  }
  console.log(`nav: ${notebooks.length} notebooks, navigation up to date`);
} else {
  console.log(
    stale.length ? stale.map((f) => `nav: updated notebooks/${f}`).join("\n") : `nav: ${notebooks.length} notebooks, nothing to change`,
  );
}

/** The notebook's first "# " heading, else a title made from its file name. */
function titleOf(nb, file) {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    for (const line of sourceOf(cell).split("\n")) {
      const m = /^#\s+(.+?)\s*#*\s*$/.exec(line);
      if (m) return m[1];
    }
  }
  return file
    .replace(/\.ipynb$/, "")
    .replace(/^\d+-/, "")
    .replace(/-/g, " ");
}

/** "5. The client class" for 05-the-client-class.ipynb; "Contents" for the contents page. */
function label(entry) {
  if (entry.file === CONTENTS) return "Contents";
  const m = /^(\d+)-/.exec(entry.file);
  return m ? `${Number(m[1])}. ${entry.title}` : entry.title;
}

function navLine(i) {
  const here = notebooks[i];
  const prev = notebooks[i - 1];
  const next = notebooks[i + 1];
  const parts = [];
  if (prev && prev.file !== CONTENTS) parts.push(`[← ${label(prev)}](${prev.file})`);
  if (here.file === CONTENTS) parts.push("**Contents**");
  else if (hasContents) parts.push(`[Contents](${CONTENTS})`);
  if (next) parts.push(`[${label(next)} →](${next.file})`);
  return parts.join(" | ");
}

/** Whether a line is (an old version of) the navigation line. */
function isNavLine(line) {
  const t = line.trim();
  if (t === PLACEHOLDER) return true;
  if (t === "**Contents**") return true;
  return /\]\([^)\s]*\.ipynb\)/.test(t) && (/[←→]/.test(t) || /\[Contents\]|\*\*Contents\*\*/.test(t)) && !/^#/.test(t);
}

function withFirstLine(source, line) {
  const lines = source.split("\n");
  if (isNavLine(lines[0] ?? "")) lines[0] = line;
  else return source.trim() === "" ? line : `${line}\n\n${source}`;
  return lines.join("\n");
}

function withLastLine(source, line) {
  const lines = source.replace(/\n+$/, "").split("\n");
  if (isNavLine(lines.at(-1) ?? "")) lines[lines.length - 1] = line;
  else return source.trim() === "" ? line : `${source.replace(/\n+$/, "")}\n\n${line}`;
  return lines.join("\n");
}

/** The list of lessons between the markers of the contents page. */
function withLessonList(source) {
  const start = source.indexOf(LESSONS_START);
  const end = source.indexOf(LESSONS_END);
  if (start < 0 || end < start) return source;
  const list = notebooks
    .filter((n) => n.file !== CONTENTS)
    .map((n) => {
      const m = /^(\d+)-/.exec(n.file);
      return `${m ? `${Number(m[1])}.` : "-"} [${n.title}](${n.file})`;
    })
    .join("\n");
  return `${source.slice(0, start + LESSONS_START.length)}\n${list}\n${source.slice(end)}`;
}

/** Writes text back in the form the cell had: Jupyter's list of lines, or one string. */
function setSource(cell, text) {
  if (sourceOf(cell) === text) return;
  cell.source = Array.isArray(cell.source) ? text.split(/(?<=\n)/) : text;
}
