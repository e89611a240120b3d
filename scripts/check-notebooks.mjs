// `npm run check:notebooks [-- --fix] [notebook.ipynb ...]`: keep committed notebooks clean.
//
// Fails (naming notebook and cell) on: invalid JSON; stored outputs or execution counts; missing,
// malformed or duplicate cell ids; a kernelspec other than learning-mqtt; a hard-coded broker address
// or credential (any mqtt/mqtts/ws/wss URL except to localhost, example hosts or a `${…}` placeholder;
// any IPv4 literal except loopback; a URL with user:password@; a password variable assigned a string
// literal; MQTT_PASSWORD=value); a markdown link or image to a relative path that does not exist; a code
// line longer than the classic Notebook shows without scrolling (90 characters); a markdown cell that names
// (in `code`) a function of learning-mqtt that no code cell of the notebook imports or defines.
// Warns (without failing) about files in assets/ that no notebook uses.
//
// --fix strips outputs and execution counts, adds missing ids (replaces duplicate ones), sets the
// kernelspec to learning-mqtt. Addresses, credentials and links must be fixed by hand.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseCommandLine } from "./cli-args.mjs";
import { listNotebooks, REPO, sourceOf, toNotebookJson } from "./notebook-files.mjs";
const ASSETS_DIR = path.join(REPO, "assets");
const KERNELSPEC = { name: "learning-mqtt", display_name: "TypeScript (learning-mqtt)", language: "typescript" };
// Broker hosts that are fine to write down: this machine, and documentation-only names (RFC 2606).
const LOOPBACK_HOSTS = /^(localhost|127(\.\d{1,3}){3}|0\.0\.0\.0|\[::1?\]|::1?)$/i;
const EXAMPLE_HOSTS = /(^|\.)(example\.(com|org|net)|example|test|invalid)$/i;
// The classic Notebook (what `npm start` opens) shows about 90 characters of a code line without scrolling.
const MAX_CODE_LINE = 90;
const MODULE_NAMES = moduleExports(["src/index.ts", "src/lessons/index.ts"]);

const { values, positionals } = parseCommandLine(
  "check:notebooks",
  "npm run check:notebooks -- [--fix] [notebook.ipynb ...]   (default: notebooks/*.ipynb)",
  { fix: { type: "boolean" } },
);
const fix = Boolean(values.fix);
const explicit = positionals.map((a) => path.resolve(a));
const files = explicit.length > 0 ? explicit : listNotebooks();

const show = (file) => {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith("..") ? file : rel;
};
const problems = [];
let fixable = 0; // problems that --fix would have fixed
const warnings = [];
const fixed = [];
const usedFiles = new Set(); // resolved link targets, to find unused assets
let allText = ""; // every cell's source, to find assets read by code cells

for (const file of files) checkNotebook(file);
if (explicit.length === 0) checkAssets();

for (const line of fixed) console.log(`fixed ${line}`);
for (const line of warnings) console.log(`warn  ${line}`);
for (const line of problems) console.log(`FAIL  ${line}`);
const count = `${files.length} notebook${files.length === 1 ? "" : "s"}`;
if (problems.length > 0) {
  console.log(
    `check:notebooks: ${count}, ${problems.length} problem${problems.length === 1 ? "" : "s"}` +
      (fixable > 0 ? "; `npm run check:notebooks -- --fix` clears outputs and execution counts, adds ids, sets the kernelspec" : ""),
  );
  process.exit(1);
}
console.log(`check:notebooks: ${count}, no problems${warnings.length ? `, ${warnings.length} warning(s)` : ""}`);

function checkNotebook(file) {
  const name = show(file);
  let nb;
  try {
    nb = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    problems.push(`${name}: invalid JSON: ${error.message}`);
    return;
  }
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) {
    problems.push(`${name}: not a notebook (no "cells" list)`);
    return;
  }
  if (nb.nbformat !== 4) problems.push(`${name}: nbformat ${nb.nbformat}, expected 4`);

  let changed = false;
  const fail = (message) => problems.push(`${name}: ${message}`);
  const provided = providedNames(nb.cells.filter((cell) => cell.cell_type === "code").map(sourceOf));

  // Kernel
  const kernel = nb.metadata?.kernelspec?.name;
  if (kernel !== KERNELSPEC.name) {
    if (fix) {
      nb.metadata = { ...(nb.metadata ?? {}), kernelspec: { ...KERNELSPEC } };
      fixed.push(`${name}: kernelspec set to ${KERNELSPEC.name} (was ${kernel ?? "none"})`);
      changed = true;
    } else {
      fixable++;
      fail(`kernelspec is ${kernel === undefined ? "missing" : JSON.stringify(kernel)}, expected "${KERNELSPEC.name}"`);
    }
  }

  // Ids: first pass finds duplicates so that the first holder keeps its id.
  const seen = new Map();
  nb.cells.forEach((cell, index) => {
    if (typeof cell.id === "string" && !seen.has(cell.id)) seen.set(cell.id, index);
  });

  nb.cells.forEach((cell, index) => {
    const where = `cell ${index + 1}${typeof cell.id === "string" ? ` (id ${cell.id})` : ""}`;
    const text = sourceOf(cell);
    allText += text + "\n";

    // Ids
    const validId = typeof cell.id === "string" && /^[A-Za-z0-9_-]{1,64}$/.test(cell.id);
    const duplicate = typeof cell.id === "string" && seen.get(cell.id) !== index;
    if (!validId || duplicate) {
      const reason = cell.id === undefined ? "missing cell id" : duplicate ? "duplicate cell id" : "invalid cell id";
      if (fix) {
        const id = newId(file, index, text, seen);
        seen.set(id, index);
        fixed.push(`${name}: cell ${index + 1}: ${reason}, now ${id}`);
        cell.id = id;
        changed = true;
      } else {
        fixable++;
        fail(`${where}: ${reason}`);
      }
    }

    // Outputs
    if (cell.cell_type === "code") {
      const outputs = Array.isArray(cell.outputs) ? cell.outputs.length : 0;
      const hasCount = cell.execution_count !== null && cell.execution_count !== undefined;
      const hasTiming = cell.metadata && "execution" in cell.metadata;
      if (outputs > 0 || hasCount || !Array.isArray(cell.outputs) || hasTiming) {
        if (fix) {
          cell.outputs = [];
          cell.execution_count = null;
          if (hasTiming) delete cell.metadata.execution;
          changed = true;
          if (outputs > 0 || hasCount) fixed.push(`${name}: ${where}: outputs and execution count cleared`);
        } else {
          fixable++;
          if (outputs > 0) fail(`${where}: stored outputs (${outputs}): commit notebooks without outputs`);
          if (hasCount) fail(`${where}: stored execution_count ${cell.execution_count}`);
          if (!Array.isArray(cell.outputs)) fail(`${where}: code cell has no "outputs" list`);
          if (hasTiming && outputs === 0 && !hasCount) fail(`${where}: stored execution timing metadata`);
        }
      }
    }

    // Code a student can read without scrolling sideways
    if (cell.cell_type === "code") {
      sourceOf(cell)
        .split("\n")
        .forEach((line, i) => {
          if (line.length > MAX_CODE_LINE) {
            fail(
              `${where} line ${i + 1}: code line of ${line.length} characters (the classic Notebook shows about ${MAX_CODE_LINE}): break it`,
            );
          }
        });
    }

    // Names in the prose that the notebook's code never brings in (a solution or hint naming rowOf, say)
    if (cell.cell_type === "markdown") {
      for (const { name: missing, line } of namedInProse(text)) {
        if (MODULE_NAMES.has(missing) && !provided.has(missing) && /^[a-z]/.test(missing)) {
          fail(`${where} line ${line}: names ${missing}, which no code cell of this notebook imports or defines`);
        }
      }
    }

    // Addresses and credentials (any cell type)
    for (const finding of secrets(text)) fail(`${where} line ${finding.line}: ${finding.message}`);

    // Links and images (markdown)
    if (cell.cell_type === "markdown") {
      for (const { target, line } of links(text)) {
        const resolved = path.resolve(path.dirname(file), target);
        usedFiles.add(resolved);
        if (!existsSync(resolved)) fail(`${where} line ${line}: link to ${target}, which does not exist (relative to the notebook)`);
      }
    }
  });

  if (fix && changed) {
    const ids = nb.cells.every((cell) => typeof cell.id === "string");
    if (ids && nb.nbformat === 4 && (nb.nbformat_minor ?? 0) < 5) nb.nbformat_minor = 5;
    writeFileSync(file, toNotebookJson(nb));
  }
}

/** A stable id for a cell without one: from the notebook's name, the cell's position and content. */
function newId(file, index, text, taken) {
  for (let salt = 0; ; salt++) {
    const id = createHash("sha1")
      .update(`${path.basename(file)}\n${index}\n${salt}\n${text}`)
      .digest("hex")
      .slice(0, 8);
    if (!taken.has(id)) return id;
  }
}

function secrets(text) {
  const found = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const at = i + 1;
    const push = (message) => found.push({ line: at, message });
    const reported = new Set();

    for (const m of line.matchAll(/\b(mqtts?|wss?):\/\/([^\s"'`<>)\]]*)/gi)) {
      const rest = m[2];
      if (/^[^/@\s]*:[^/@\s]*@/.test(rest)) {
        push(`${m[1]}:// URL with a user name and password`);
        continue;
      }
      const host = hostOf(rest);
      if (host.startsWith("${") || LOOPBACK_HOSTS.test(host) || EXAMPLE_HOSTS.test(host)) continue;
      reported.add(host);
      push(`hard-coded broker URL ${m[1]}://${host || "…"}: read the address from the environment (settings)`);
    }
    for (const m of line.matchAll(/\b(https?):\/\/[^\s/@:"'`]+:[^\s/@"'`]+@/gi)) {
      push(`${m[1]}:// URL with a user name and password`);
    }
    for (const m of line.matchAll(/(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?![\d.]*\d)/g)) {
      const parts = m.slice(1, 5).map(Number);
      if (parts.some((p) => p > 255)) continue;
      if (parts[0] === 127 || parts.every((p) => p === 0) || reported.has(m[0])) continue;
      push(`hard-coded IPv4 address ${m[0]}: read the broker address from the environment (settings)`);
    }
    if (/\b\w*pass(word|wd)\b\s*[:=]\s*(["'`])(?!\2)(?!\$\{[^}]*\}\2)[^\n]*?\2/i.test(line)) {
      push("password assigned a string literal: read it from the environment (MQTT_PASSWORD)");
    } else if (/\b[A-Z0-9_]*PASSWORD=(?![\s"'`]*$)(?!["'`]?[$<{])(?!\.\.\.)\S/.test(line)) {
      push("MQTT_PASSWORD=… with a value: never write the password into a notebook");
    }
    if (/\b\w*pass(word|wd)\b\s*(\?\?|\|\|)\s*(["'`])(?!\3)/i.test(line)) {
      push("password with a string literal as fallback: read it from the environment only");
    }
  });
  return found;
}

function hostOf(rest) {
  if (rest.startsWith("${")) return "${";
  const authority = rest.split(/[/?#]/)[0].replace(/^[^@]*@/, "");
  if (authority.startsWith("[")) return authority.slice(0, authority.indexOf("]") + 1);
  return authority.replace(/:[^:]*$/, "");
}

/** Relative link and image targets in markdown: [t](x), ![a](x "title"), [r]: x, <img src="x">, <a href="x">. */
function links(text) {
  const out = [];
  const lines = text.split("\n");
  let fenced = false;
  lines.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    const candidates = [];
    line = line.replace(/`[^`]*`/g, ""); // inline code is an example, not a link
    for (const m of line.matchAll(/\]\(\s*(<[^>]*>|[^)\s]+)(\s+["'(][^)]*)?\)/g)) candidates.push(m[1].replace(/^<|>$/g, ""));
    for (const m of line.matchAll(/^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/g)) candidates.push(m[1].replace(/^<|>$/g, ""));
    for (const m of line.matchAll(/<(?:img|a|source|video|audio)\b[^>]*?\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
      candidates.push(m[1] ?? m[2] ?? m[3]);
    }
    for (const raw of candidates) {
      const target = raw.trim();
      if (!target || target.startsWith("#") || target.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      let clean = target.replace(/[?#].*$/, "");
      try {
        clean = decodeURIComponent(clean);
      } catch {
        // keep it as written
      }
      if (clean) out.push({ target: clean, line: i + 1 });
    }
  });
  return out;
}

function checkAssets() {
  if (!existsSync(ASSETS_DIR)) return;
  const walk = (dir) =>
    readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      if (entry.startsWith(".")) return [];
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  for (const asset of walk(ASSETS_DIR)) {
    const rel = path.relative(REPO, asset).split(path.sep).join("/");
    const used = usedFiles.has(asset) || allText.includes(rel) || allText.includes(path.basename(asset));
    if (!used) warnings.push(`${rel} is not used by any notebook`);
  }
}

/** The runtime names an entry point of the module exports: `export { a, b as c } from "…"` (not `export type`). */
function moduleExports(files) {
  const names = new Set();
  for (const file of files) {
    const full = path.join(REPO, file);
    if (!existsSync(full)) continue;
    for (const m of readFileSync(full, "utf8").matchAll(/^export\s*\{([^}]*)\}\s*from/gm)) {
      for (const part of m[1].split(",")) {
        const item = part.trim();
        if (!item || item.startsWith("type ")) continue;
        names.add(
          item
            .split(/\s+as\s+/)
            .pop()
            .trim(),
        );
      }
    }
  }
  return names;
}

/** Names that code cells import (from anywhere) or declare (function, class, const, let, var). */
function providedNames(codes) {
  const names = new Set();
  for (const code of codes) {
    for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from/g)) {
      for (const part of m[1].split(",")) {
        const item = part.trim().replace(/^type\s+/, "");
        if (item)
          names.add(
            item
              .split(/\s+as\s+/)
              .pop()
              .trim(),
          );
      }
    }
    for (const m of code.matchAll(/import\s+\*\s+as\s+(\w+)/g)) names.add(m[1]);
    for (const m of code.matchAll(/\b(?:function|class|const|let|var)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  }
  return names;
}

/**
 * Identifiers that inline code in markdown uses as a name of its own (not after a dot): `rowOf("R5IM")`. Only
 * our module's functions (lower-case exports) are judged: prose also names Python (`range(1, 39)`) and constants.
 */
function namedInProse(text) {
  const out = [];
  let fenced = false;
  text.split("\n").forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return;
    }
    if (fenced) return;
    for (const span of line.matchAll(/`([^`]+)`/g)) {
      for (const m of span[1].matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)/g)) out.push({ name: m[1], line: i + 1 });
    }
  });
  return out;
}
