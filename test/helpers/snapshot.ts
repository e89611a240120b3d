// Snapshot files for figures: the SVG or HTML text a function draws, normalised so that a change to the figure
// shows as a readable line diff and nothing else does (one tag per line, numbers to 4 significant digits,
// generated ids and embedded images replaced by stable placeholders). A snapshot is only ever written on request:
//   UPDATE_SNAPSHOTS=1 node --import tsx --test test/plots/snapshots.test.ts
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { inflateSync } from "node:zlib";

const REPO = path.resolve(__dirname, "..", "..");

/** A short digest of some bytes, for a placeholder. */
function digest(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 12);
}

/**
 * A PNG described by its size and a digest of its pixels (the inflated IDAT data: scanlines with their filter
 * bytes), so that the placeholder changes when the picture does, and not when only the compression does.
 */
export function describePng(png: Buffer): string {
  if (png.toString("latin1", 1, 4) !== "PNG") return `not a PNG, ${png.length} bytes`;
  const chunks: Buffer[] = [];
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    if (png.toString("latin1", at + 4, at + 8) === "IDAT") chunks.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return `PNG ${png.readUInt32BE(16)}×${png.readUInt32BE(20)}, pixels ${digest(inflateSync(Buffer.concat(chunks)))}`;
}

/** Arrays of numbers or strings on one line in pretty-printed JSON: `[1, 2, 3]`, not one value a line. */
function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, inner: string) => `[${inner.replace(/\s*\n\s*/g, " ")}]`);
}

/** A number to 4 significant digits, as short as it goes: 523.456 → 523.5, 0.000123456 → 0.0001235. */
function round(text: string): string {
  return String(Number(Number(text).toPrecision(4)));
}

/**
 * Figure text made comparable: embedded images become placeholders with a digest (an SVG one is normalised
 * first); ids become id-1, id-2 … in order of appearance, wherever they are used; a `var spec = {…};` line
 * (an interactive figure's data) is pretty-printed; each tag starts a line; decimals keep 4 significant digits.
 */
export function normaliseFigure(text: string): string {
  let out = text.replace(/data:image\/(png|svg\+xml);base64,([A-Za-z0-9+/=]+)/g, (_, type: string, data: string) => {
    const bytes = Buffer.from(data, "base64");
    const what = type === "png" ? describePng(bytes) : `SVG, normalised ${digest(normaliseFigure(bytes.toString("utf8")))}`;
    return `data:image/${type};base64,[${what}]`;
  });
  const ids = [...new Set(Array.from(out.matchAll(/\bid="([^"]+)"/g), (m) => m[1]!))];
  ids.forEach((id, i) => {
    out = out.replace(new RegExp(`(?<![\\w-])${id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g"), `id-${i + 1}`);
  });
  // Kept script-safe ("<" as \u003c), as the figure writes it.
  out = out.replace(
    /^(\s*var spec = )(\{.*\});$/m,
    (_, start: string, json: string) => `${start}${prettyJson(JSON.parse(json)).replace(/</g, "\\u003c")};`,
  );
  out = out.replace(/>\s*</g, ">\n<");
  out = out.replace(/(?<![\d.])-?\d+\.\d+(?:e[-+]?\d+)?(?![\d.])/gi, round);
  return out.endsWith("\n") ? out : `${out}\n`;
}

/** The command that rewrites the snapshots of a test file. */
export function updateCommand(testFile: string): string {
  return `UPDATE_SNAPSHOTS=1 node --import tsx --test ${path.relative(REPO, testFile)}`;
}

export interface SnapshotOptions {
  /** The test file, for the command that rewrites its snapshots. */
  testFile: string;
  /** Where a figure that differs is put for a full diff (default out/snapshots/). */
  outDir?: string;
  /** Default process.env: UPDATE_SNAPSHOTS=1 writes the snapshot. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Compares `text`, normalised, with the snapshot file `file`. A missing or different snapshot fails, naming the
 * first line that differs and the command that rewrites it; the new text is put in out/snapshots/ for a full
 * diff. With UPDATE_SNAPSHOTS=1 in the environment the snapshot is written instead (only then).
 * @example matchSnapshot(path.join(__dirname, "__snapshots__", "pulse-plot.svg"), pulsePlot(pulse), { testFile: __filename });
 */
export function matchSnapshot(file: string, text: string, options: SnapshotOptions): void {
  const { testFile, env = process.env, outDir = path.join(REPO, "out", "snapshots") } = options;
  const actual = normaliseFigure(text);
  const shown = path.relative(REPO, file);
  if (env.UPDATE_SNAPSHOTS === "1") {
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file) || readFileSync(file, "utf8") !== actual) writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) assert.fail(`no snapshot ${shown} yet: look at the figure, then create it with\n  ${updateCommand(testFile)}`);
  const expected = readFileSync(file, "utf8");
  if (actual === expected) return;
  const copy = path.join(outDir, path.basename(file));
  mkdirSync(path.dirname(copy), { recursive: true });
  writeFileSync(copy, actual);
  const a = actual.split("\n");
  const e = expected.split("\n");
  let line = 0;
  while (line < a.length && a[line] === e[line]) line++;
  const clip = (s: string | undefined) => (s === undefined ? "(end of file)" : s.length > 200 ? `${s.slice(0, 200)}…` : s);
  assert.fail(
    `${shown} differs from the figure drawn now, from line ${line + 1} (${e.length} lines before, ${a.length} now):\n` +
      `  snapshot: ${clip(e[line])}\n  now:      ${clip(a[line])}\n` +
      `whole: diff ${shown} ${path.relative(REPO, copy)}\n` +
      `if the change is intended, rewrite the snapshots and review them in git diff:\n  ${updateCommand(testFile)}`,
  );
}
