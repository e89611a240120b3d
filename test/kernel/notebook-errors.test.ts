// What a student sees when something goes wrong in a real kernel (tslab, driven as Jupyter does): an error our
// module raises prints as one line, not Node's report with a stack through dist/ and tslab; a bug in a callback
// is shown as it happens with the line that threw it; compile errors with a cause a student cannot guess get a
// line of explanation; and LEARNING_MQTT_TRACE=1 brings the full reports back for an instructor.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { prepareKernel, runKernel, type Run } from "../helpers/kernel";

const IMPORTS =
  'import { MQTTClient, sleep, rowOf, getLiveData, type Message } from "learning-mqtt";\nimport { lastError } from "learning-mqtt/lessons";';
const BUGGY =
  "class Buggy extends MQTTClient {\n" +
  "  sizes: number[] = [];\n" +
  "  override onMessage(message: Message) {\n" +
  "    const previous = this.sizes[this.sizes.length]; // the bug: the last one is at length - 1\n" +
  "    console.log(`${message.payload.length} bytes, the one before: ${previous.toFixed(0)}`);\n" +
  "  }\n" +
  "}";

describe("errors in a notebook kernel", () => {
  let run: Run;
  let traced: Run;
  before(async () => {
    prepareKernel();
    run = await runKernel([
      IMPORTS,
      'rowOf("R1BLM33")',
      "const a = 1;\nawait getLiveData(undefined, -1);",
      BUGGY,
      "const buggy = new Buggy();\nawait buggy.connect();\nawait sleep(2500);\nawait buggy.disconnect();\nconsole.log(buggy.stats.callbackErrors, buggy.stats.rejected);",
      'pulse.channel("R1BLM3")',
      "const bytesPerSecond = 50 * 704,000;",
      'console.log(lastError()?.stack?.split("\\n").slice(0, 2).join(" |"));',
    ]);
    traced = await runKernel([IMPORTS, 'rowOf("R1BLM33")'], { LEARNING_MQTT_TRACE: "1" });
  });

  test("an error our module raises for a student's input is one line: no stack through dist/ or tslab", () => {
    const cell = run.cells[1]!;
    assert.equal(cell.status, "error");
    assert.equal(cell.stderr, "RangeError: unknown channel: R1BLM33 (expected one of R0BLM1 … R9BLM4, R5IM)\n");
  });

  test("in a cell of several lines, the line says which line", () => {
    assert.equal(
      run.cells[2]!.stderr,
      "RangeError: invalid seconds: -1 (expected a number > 0, e.g. getLiveData(undefined, 3)) (line 2)\n",
    );
  });

  test("a bug in onMessage is shown once as it happens, with the student's line, and counted as a callback error", () => {
    const cell = run.cells[4]!;
    assert.equal(cell.status, "ok", cell.stderr);
    assert.equal(
      cell.stderr,
      "Buggy.onMessage threw TypeError: Cannot read properties of undefined (reading 'toFixed'), at cell [4], line 5: " +
        "console.log(`${message.payload.length} bytes, the one before: ${previous.toFixed(0)}`);\n",
    );
    const [errors, rejected] = cell.stdout.trim().split(" ").map(Number);
    assert.ok(errors! >= 2, `${errors} callback errors in 2.5 s at 1 pulse a second`);
    assert.equal(rejected, 0, "the student's bug is not blamed on the data");
  });

  test("a name from a cell that has not run gets a hint to run the cells above", () => {
    assert.match(
      run.cells[5]!.stderr,
      /^1:1 - Cannot find name 'pulse'\.\n  ↳ pulse is not defined yet\. If a cell above makes it, run the cells above/,
    );
  });

  test("a comma copied into a number gets the reason", () => {
    assert.match(
      run.cells[6]!.stderr,
      /↳ a comma inside a number: TypeScript reads 704,000 as separate numbers\. Write 704000 \(or 704_000\)\./,
    );
  });

  test("the full report stays available: lastError().stack, and LEARNING_MQTT_TRACE=1", () => {
    assert.match(
      run.cells[7]!.stdout,
      /^TypeError: Cannot read properties of undefined \(reading 'toFixed'\) \| +at Buggy\.onMessage \(In\[4\]:\d+:\d+\)\n$/,
    );
    const full = traced.cells[1]!.stderr;
    assert.match(full, /^RangeError: unknown channel: R1BLM33/m);
    assert.match(full, /at Proxy\.rowOf \(.*dist\/beam\/layout\.js/);
  });
});
