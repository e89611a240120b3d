/**
 * The cells this kernel has run, as far as a student's mistakes need them: each cell's number (as in "In [7]"),
 * its TypeScript, the JavaScript tslab made of it, and whether it failed. With it an error can say which line of
 * which cell threw it, an interrupt can tell the cell it stopped from the next one, and an exercise check can
 * notice that the newest version of a definition never ran. Filled by the kernel hooks (session.ts); empty in
 * plain Node, where every function here answers "unknown".
 */
import { Ring } from "../ring";

/** How many cells are remembered: a lesson has fewer than 60 code cells; re-runs add more. */
const CELLS_KEPT = 200;
/** Longest piece of code quoted in a one-line message (a lesson's code lines are at most 90 characters). */
const SNIPPET_CHARS = 100;

interface CellRecord {
  readonly count: number;
  readonly code: string;
  js?: string;
  /** undefined while it runs. */
  ok?: boolean;
}

const cells = new Ring<CellRecord>(CELLS_KEPT);
let running: CellRecord | undefined;

/** The name a cell's script runs under, so that stack traces say which cell: "In[7]". */
function scriptName(count: number): string {
  return `In[${count}]`;
}

/** A cell starts (called by the kernel hooks). */
export function cellStarted(count: number, code: string): void {
  running = { count, code };
  cells.push(running);
}

/** A cell ended (called by the kernel hooks). */
export function cellEnded(count: number, ok: boolean): void {
  const cell = find(count);
  if (cell) cell.ok = ok;
  if (running?.count === count) running = undefined;
}

/** The running cell's JavaScript is about to run: remembers it, and returns the name to run it under. */
export function cellScript(js: string): string | undefined {
  if (!running) return undefined;
  running.js = js;
  return scriptName(running.count);
}

/** The number of the cell running now, or undefined (between cells, or outside a kernel). */
export function runningCell(): number | undefined {
  return running?.count;
}

/** The TypeScript of the cell running now, or undefined. */
export function runningCellCode(): string | undefined {
  return running?.code;
}

function find(count: number): CellRecord | undefined {
  return cells.toArray().find((cell) => cell.count === count);
}

/** Where in the student's cells an error was thrown. */
export interface Place {
  /** The cell's number, as in "In [12]". */
  readonly cell: number;
  /** The line in that cell (from 1), when it could be matched. */
  readonly line: number | undefined;
  /** That line of code, shortened to one line. */
  readonly code: string;
  /** Whether that cell is the one running now. */
  readonly here: boolean;
}

/** Where in the student's cells an error was thrown, from its stack; undefined when no frame is in a known cell. */
export function whereThrown(error: unknown): Place | undefined {
  const stack = error instanceof Error && typeof error.stack === "string" ? error.stack : "";
  for (const frame of stack.split("\n").slice(1)) {
    const match = /In\[(\d+)\]:(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!match) continue;
    const cell = find(Number(match[1]));
    const jsLine = cell?.js?.split("\n")[Number(match[2]) - 1];
    if (!cell || jsLine === undefined) return undefined;
    const text = jsLine.trim();
    // tslab's JavaScript keeps the lines of the TypeScript (types removed, names from other cells read as
    // exports.name, a last expression assigned to exports.tsLastExpr): find the same line there.
    const bare = (line: string) =>
      line
        .trim()
        .replace(/^exports\.tsLastExpr = /, "")
        .replace(/\bexports\./g, "")
        .replace(/;$/, "");
    const tsLines = cell.code.split("\n");
    const at = tsLines.findIndex((line) => bare(line) === bare(text));
    return {
      cell: cell.count,
      line: at >= 0 ? at + 1 : undefined,
      code: snippet(at >= 0 ? tsLines[at]!.trim() : text),
      here: cell === running,
    };
  }
  return undefined;
}

/** A place as words: "cell [12], line 5: previous.toFixed(0)". */
export function describePlace(place: Place): string {
  return `cell [${place.cell}]${place.line === undefined ? "" : `, line ${place.line}`}: ${place.code}`;
}

function snippet(code: string): string {
  return code.length <= SNIPPET_CHARS ? code : `${code.slice(0, SNIPPET_CHARS - 1)}…`;
}

/** What is known about the newest cell that defines `name` (a class, function, const or let). */
export interface Definition {
  /** The cell's number. */
  readonly count: number;
  /** Whether it ran to the end: false if it had an error (then the older definition is still the one in use). */
  readonly ran: boolean;
}

/**
 * The newest cell, other than the one running, whose code defines `name`; undefined if none is known.
 * @example newestDefinition("Counter") // { count: 14, ran: false }: the class cell had an error
 */
export function newestDefinition(name: string): Definition | undefined {
  const defines = new RegExp(`(^|[\\s;])(class|function|const|let|var)\\s+${name.replace(/[^\w$]/g, "")}\\b`, "m");
  const found = cells
    .toArray()
    .reverse()
    .find((cell) => cell !== running && defines.test(cell.code));
  return found ? { count: found.count, ran: found.ok === true } : undefined;
}

/** Forgets every cell (tests). */
export function forgetCells(): void {
  cells.clear();
  running = undefined;
}
