import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inspect } from "node:util";
import { cellEnded, cellStarted, forgetCells } from "../../src/kernel/cells";
import { TODO, exercise, isBlank, Verdict } from "../../src/lessons/exercise";
import { show } from "../../src/lessons/feedback";

const says = (v: { message: string }) => v.message;

const double = () =>
  exercise<[unknown]>({
    task: "What is 2 × 21?",
    check: (answer) => (answer === 42 ? true : answer === 21 ? "that is only one of the two." : `not ${String(answer)}.`),
    praise: "42.",
    hints: ["Multiply.", "2 * 21"],
    solution: "const answer = 2 * 21;",
  });

describe("exercise", () => {
  test("a blank answer is 'not tried yet'", () => {
    const verdict = double().check(TODO);
    assert.equal(verdict.kind, "blank");
    assert.match(String(verdict), /^✏️ Not tried yet: replace TODO/);
  });

  test("a right answer is correct, with the praise", () => {
    const verdict = double().check(42);
    assert.equal(verdict.correct, true);
    assert.equal(String(verdict), "✅ Correct: 42.");
  });

  test("a wrong answer says why", () => {
    assert.equal(String(double().check(21)), "❌ Not quite: that is only one of the two.");
    assert.equal(double().check(7).kind, "incorrect");
  });

  test("a checker that throws is reported as not quite, with the error", () => {
    const broken = exercise<[unknown]>({
      task: "t",
      check: () => {
        throw new Error("boom");
      },
      hints: ["h"],
      solution: "s",
    });
    assert.equal(String(broken.check(1)), "❌ Not quite: checking your answer failed: boom");
  });

  test("a checker can return its own verdict", () => {
    const own = exercise<[unknown]>({ task: "t", check: () => new Verdict("blank", "empty list"), hints: ["h"], solution: "s" });
    assert.equal(own.check([]).kind, "blank");
  });

  test("hints come one at a time, then stay on the last; a number picks one", () => {
    const ex = double();
    assert.match(ex.hintText(), /^💡 Hint 1 of 2: Multiply\. \(run hint\(\) again/);
    assert.equal(ex.hintText(), "💡 Hint 2 of 2: 2 * 21");
    assert.equal(ex.hintText(), "💡 Hint 2 of 2: 2 * 21");
    assert.match(ex.hintText(1), /Hint 1 of 2/);
    assert.match(ex.hintText(99), /Hint 2 of 2/);
  });

  test("hint() and solution() print, so both show even when they are not the cell's last line", (t) => {
    const printed: string[] = [];
    t.mock.method(console, "log", (line: string) => printed.push(line));
    const ex = double();
    assert.equal(ex.hint(), undefined);
    assert.equal(ex.solution(), undefined);
    assert.deepEqual(printed, ["💡 Hint 1 of 2: Multiply. (run hint() again for the next one)", "🔑 Solution:\nconst answer = 2 * 21;"]);
  });

  test("the task and a verdict print as plain text in a notebook (no quotes)", () => {
    const ex = double();
    assert.equal(inspect(ex.task), "What is 2 × 21?");
    assert.equal(inspect(ex.check(42)), "✅ Correct: 42.");
  });

  test("an exercise needs a hint", () => {
    assert.throws(() => exercise({ task: "t", check: () => true, hints: [], solution: "s" }), /needs at least one hint/);
  });

  test("isBlank finds the blank inside arrays and objects, not in typed arrays", () => {
    assert.equal(isBlank(TODO), true);
    assert.equal(isBlank([1, TODO]), true);
    assert.equal(isBlank({ a: TODO }), true);
    assert.equal(isBlank([1, 2]), false);
    assert.equal(isBlank(new Float64Array(3)), false);
    assert.equal(isBlank(null), false);
  });
});

describe("feedback on any value", () => {
  test("shows any value in one line: a row is named with its first numbers, never all 2,200", () => {
    const row = new Float64Array(2200).map((_, i) => 0.0031 - i / 1e6);
    assert.equal(show(row), "a Float64Array of 2,200 numbers, starting 0.0031, 0.0031, 0.0031 …");
    assert.equal(show([1, 2]), "a list of 2 numbers: [1, 2]");
    assert.equal(show([]), "an empty list");
    assert.equal(
      show(function fanShouldRun() {}),
      "the function fanShouldRun",
    );
    assert.equal(show({ received: 3, seconds: 2 }), "an object with received, seconds");
    assert.equal(show(new Map()), "a Map");
    assert.equal(show("x".repeat(500)).length, 80);
    assert.equal(show(1234567), "1,234,567");
  });

  test("a verdict is a few lines at most, whatever the check puts in it", () => {
    const chatty = exercise<[unknown]>({ task: "t", check: () => "x".repeat(40_000), hints: ["h"], solution: "s" });
    assert.ok(String(chatty.check(1)).length <= 620);
  });

  test("a check says when it probably graded an old definition: the newest cell defining it did not run", () => {
    const counter = exercise<[unknown]>({ task: "t", check: () => true, hints: ["h"], solution: "s", defines: "Counter" });
    assert.equal(says(counter.check([1])), "well done.");
    cellStarted(14, "class Counter extends MQTTClient {\n  override onMessage(m: Message) { this.sizes.push(m.payload.lenght); }\n}");
    cellEnded(14, false);
    assert.equal(
      says(counter.check([1])),
      "well done. (Careful: your newest Counter, in cell [14], did not run because of its error, so this checked the one before it. Fix that cell, run it, then run this one again.)",
    );
    cellStarted(15, "class Counter extends MQTTClient {}");
    cellEnded(15, true);
    assert.equal(says(counter.check([1])), "well done.");
    forgetCells();
  });
});
