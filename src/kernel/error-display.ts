/**
 * What a student sees when a cell goes wrong, inside a tslab kernel:
 * - an error prints as one line, "RangeError: unknown channel: R1BLM33 (expected one of …) (line 2)", instead of
 *   Node's report with the source line, a caret and a stack through dist/, Node's vm and tslab's executor. tslab
 *   prints a failing cell's error with console.error(error), which formats it with util.inspect: so every Error
 *   gets a custom inspect. The full trace stays available: `lastError()?.stack`, or set LEARNING_MQTT_TRACE=1
 *   before `npm start` for the full reports.
 * - a compile error that students meet for a reason they cannot guess gets a second line with the reason:
 *   a name made by a cell that has not run yet, a comma inside a number, a function called where it should
 *   be passed.
 */
import { inspect } from "node:util";
import { describePlace, runningCellCode, whereThrown } from "./cells";

/** Set (to anything but "" or "0") for full error reports in the notebook, as tslab prints them. */
export const TRACE_VARIABLE = "LEARNING_MQTT_TRACE";

let last: Error | undefined;

/**
 * The last error a notebook cell or a callback showed as one line, with its full stack.
 * @example lastError()?.stack
 */
export function lastError(): Error | undefined {
  return last;
}

/** Whether full error reports were asked for. */
export function fullTraces(): boolean {
  const value = process.env[TRACE_VARIABLE];
  return value !== undefined && value !== "" && value !== "0";
}

/** An error as one line, for a notebook: its name and message, and where in the student's cells it was thrown. */
export function oneLine(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (error.message === "Interrupted asynchronously" || code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
    return "Stopped (■): the cell was interrupted.";
  }
  const head = `${error.name || "Error"}: ${error.message.split("\n")[0]}`;
  const place = whereThrown(error);
  if (!place) return head;
  if (place.here) return place.line === undefined || !runningCellCode()?.includes("\n") ? head : `${head} (line ${place.line})`;
  return `${head} (in cell [${place.cell}]${place.line === undefined ? "" : `, line ${place.line}`}: ${place.code})`;
}

/** From now on, errors printed in the notebook are one line each (unless LEARNING_MQTT_TRACE is set). */
export function installOneLineErrors(): void {
  if (fullTraces()) return;
  Object.defineProperty(Error.prototype, inspect.custom, {
    configurable: true,
    writable: true,
    value: function (this: Error) {
      return remembered(this);
    },
  });
}

/** The one line of an error that is being shown; it becomes lastError(). */
function remembered(error: Error): string {
  last = error;
  return oneLine(error);
}

/** One diagnostic line as tslab prints it: "3:14 - Cannot find name 'pulse'." */
const DIAGNOSTIC = /^(\d+):(\d+) - (.*)$/;

/**
 * The text a cell writes to stderr, with a line of explanation after a compile error that has a likely cause
 * a student would not guess. Other text is returned as it is.
 */
export function explainDiagnostic(text: string): string {
  const match = DIAGNOSTIC.exec(text.trimEnd());
  if (!match) return text;
  const hint = hintFor(match[3]!, runningCellCode() ?? "");
  return hint ? `${text.trimEnd()}\n  ↳ ${hint}\n` : text;
}

function hintFor(message: string, code: string): string | undefined {
  const missing = /^Cannot find name '([^']+)'\.$/.exec(message);
  if (missing) {
    const name = missing[1]!;
    if (name === "TODO")
      return 'TODO comes from the lessons module: run the cell with import { TODO, … } from "learning-mqtt/lessons" first.';
    return `${name} is not defined yet. If a cell above makes it, run the cells above this one first (Cell → Run All Above); otherwise check the spelling.`;
  }
  const comma = /\b\d{1,3}(,\d{3})+\b/.exec(code.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""')); // not inside strings
  if (comma && /^(Variable declaration expected|Octal literals are not allowed|',' expected|Expression expected)/.test(message)) {
    return `a comma inside a number: TypeScript reads ${comma[0]} as separate numbers. Write ${comma[0].replace(/,/g, "")} (or ${comma[0].replace(/,/g, "_")}).`;
  }
  const noArguments = /^Expected (\d+(-\d+)?) arguments?, but got 0\.$/.exec(message);
  if (noArguments) {
    return "a function was called with () and no values. To hand the function itself to a check, write its name without ().";
  }
  return undefined;
}

/**
 * One line for an error thrown by a student's callback, with the line that threw it when that is in a cell:
 * "Listener.onMessage threw TypeError: Cannot read properties of undefined (reading 'toFixed'), at cell [12], line 5: …".
 */
export function callbackErrorLine(callback: string, error: unknown): string {
  if (error instanceof Error) last = error;
  const what = error instanceof Error ? `${error.name || "Error"}: ${error.message.split("\n")[0]}` : `the value ${String(error)}`;
  const place = whereThrown(error);
  return `${callback} threw ${what}${place ? `, at ${describePlace(place)}` : ""}`;
}

/** Shows a line under the cell that runs now, in red (stderr), inside a kernel; does nothing elsewhere. */
export function showInNotebook(line: string): void {
  if ((globalThis as { __tslab__?: unknown }).__tslab__ !== undefined) console.error(line);
}
