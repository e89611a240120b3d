// How errors read in a notebook, without a kernel: the cells are recorded as the kernel hooks record them, and
// scripts run under the cells' names with Node's vm, so stack traces are real.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import vm from "node:vm";
import { cellEnded, cellScript, cellStarted, forgetCells, newestDefinition, whereThrown } from "../../src/kernel/cells";
import { callbackErrorLine, explainDiagnostic, oneLine } from "../../src/kernel/error-display";

/** Runs a cell as the kernel would: recorded, its JavaScript run under the cell's name. Returns what it threw. */
function runCell(count: number, ts: string, js = ts): unknown {
  cellStarted(count, ts);
  try {
    vm.runInThisContext(js, { filename: cellScript(js)! });
    cellEnded(count, true);
    return undefined;
  } catch (error) {
    cellEnded(count, false);
    return error;
  }
}

afterEach(forgetCells);

describe("where an error was thrown", () => {
  test("names the cell, the line of its TypeScript and the code", () => {
    const error = runCell(
      7,
      "const n: number = 1;\nconst s: string = undefined as any;\ns.toFixed(2);",
      "const n = 1;\nconst s = undefined;\ns.toFixed(2);",
    );
    assert.deepEqual(whereThrown(error), { cell: 7, line: 3, code: "s.toFixed(2);", here: false });
    assert.equal(
      oneLine(error as Error),
      "TypeError: Cannot read properties of undefined (reading 'toFixed') (in cell [7], line 3: s.toFixed(2);)",
    );
  });

  test("a callback defined in an earlier cell is traced to its line there", () => {
    runCell(3, "globalThis.onData = (x: number[]) => x[5]!.toFixed(1);", "globalThis.onData = (x) => x[5].toFixed(1);");
    cellStarted(4, "client.connect()");
    let thrown: unknown;
    try {
      (globalThis as unknown as { onData: (x: number[]) => void }).onData([1, 2]);
    } catch (error) {
      thrown = error;
    }
    assert.equal(
      callbackErrorLine("Listener.onMessage", thrown),
      "Listener.onMessage threw TypeError: Cannot read properties of undefined (reading 'toFixed'), at cell [3]: globalThis.onData = (x) => x[5].toFixed(1);",
    );
  });

  test("outside any cell there is no place, and the line is the error's first line", () => {
    assert.equal(whereThrown(new RangeError("bad")), undefined);
    assert.equal(oneLine(new RangeError("invalid seconds: -1\nmore")), "RangeError: invalid seconds: -1");
    assert.equal(callbackErrorLine("C.onConnect", "oops"), "C.onConnect threw the value oops");
  });

  test("an interrupt reads as one plain line", () => {
    assert.equal(oneLine(new Error("Interrupted asynchronously")), "Stopped (■): the cell was interrupted.");
    assert.equal(
      oneLine(Object.assign(new Error("Script execution was interrupted by `SIGINT`"), { code: "ERR_SCRIPT_EXECUTION_INTERRUPTED" })),
      "Stopped (■): the cell was interrupted.",
    );
  });
});

describe("the newest definition of a name", () => {
  test("knows whether the newest cell that defines it ran", () => {
    runCell(5, "class Counter {}", "class Counter {}");
    assert.deepEqual(newestDefinition("Counter"), { count: 5, ran: true });
    runCell(6, "class Counter { oops( }", "throw new SyntaxError('x')");
    assert.deepEqual(newestDefinition("Counter"), { count: 6, ran: false });
    assert.equal(newestDefinition("Count"), undefined, "a whole name only");
  });
});

describe("compile errors with a cause a student cannot guess", () => {
  test("a name that no cell has made yet: run the cells above", () => {
    assert.equal(
      explainDiagnostic("1:1 - Cannot find name 'pulse'.\n"),
      "1:1 - Cannot find name 'pulse'.\n  ↳ pulse is not defined yet. If a cell above makes it, run the cells above this one first (Cell → Run All Above); otherwise check the spelling.\n",
    );
    assert.match(explainDiagnostic("2:5 - Cannot find name 'TODO'.\n"), /TODO comes from the lessons module/);
  });

  test("a comma inside a number", () => {
    cellStarted(9, "const bytesPerSecond = 50 * 704,000;");
    assert.match(
      explainDiagnostic("1:33 - Variable declaration expected.\n"),
      /↳ a comma inside a number: TypeScript reads 704,000 as separate numbers\. Write 704000 \(or 704_000\)\.\n$/,
    );
    cellStarted(10, 'console.log("704,000 bytes"); const x = ;');
    assert.equal(explainDiagnostic("1:41 - Expression expected.\n"), "1:41 - Expression expected.\n", "not a comma in a string");
  });

  test("a function called where it should be passed", () => {
    assert.match(explainDiagnostic("4:26 - Expected 2 arguments, but got 0.\n"), /write its name without \(\)\.\n$/);
  });

  test("other text passes unchanged", () => {
    for (const text of [
      "4:1 - Type 'string' is not assignable to type 'number'.\n",
      "plain output\n",
      "1:1 - Cannot find name 'x'. Did you mean 'y'?\n",
    ]) {
      assert.equal(explainDiagnostic(text), text);
    }
  });
});
