/** The exercises of lesson 02 (TypeScript for this course): `lesson02.<exercise>.check(answer)`, `.hint()`, `.solution()`. */
import { exercise, isBlank, Verdict } from "./exercise";
import { caretMistake, notANumber, show } from "./feedback";

/** The readings the lesson's loop exercise works on (the thermometer of lesson 3). */
const READINGS = [18, 21, 24, 27, 23] as const;
const WARM_ABOVE = 22;

export const lesson02 = {
  byteValues: exercise<[unknown]>({
    task: "A byte is 8 bits, and each bit is 0 or 1. How many different values can one byte hold? (That is 2 to the power 8.)",
    check: (answer) => {
      const why = notANumber(answer);
      if (why) return why;
      const n = answer as number;
      if (n === 2 ** 8) return true;
      const caret = caretMistake(n, [["2 ^ 8", 2 ^ 8]]);
      if (caret) return caret;
      if (n === 2 * 8) return "2 × 8 adds up eight 2s. To the power 8 means 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2.";
      if (n === 8 ** 2) return "that is 8 × 8, the other way round: 2 ** 8 is 2 multiplied by itself 8 times.";
      if (n === 255) return "255 is the largest value a byte can hold. Counting 0 as well, how many values are there?";
      return `${show(n)} is not 2 × 2 × 2 × 2 × 2 × 2 × 2 × 2. In TypeScript, write it 2 ** 8.`;
    },
    praise: "256 values, 0 to 255: that is why a byte is written with two hexadecimal digits, 00 to ff.",
    hints: ["To the power 8 means: multiply 2 by itself 8 times.", "In TypeScript, 2 to the power 8 is 2 ** 8 (not 2 ^ 8)."],
    solution: "const byteValues = 2 ** 8; // 256",
  }),

  warmReadings: exercise<[unknown]>({
    task: `Use a for loop and push to make the list warm of the readings above ${WARM_ABOVE} °C, in their order.`,
    check: (warm) => {
      if (!Array.isArray(warm)) return `warm should be a list, like [1, 2], but it is ${show(warm)}.`;
      const wanted = READINGS.filter((t) => t > WARM_ABOVE);
      const list: unknown[] = warm;
      if (list.length === 0) {
        return new Verdict("blank", "warm is still empty: inside the loop, push each reading that is above 22 onto it.");
      }
      if (list.length === wanted.length && list.every((t, i) => t === wanted[i])) return true;
      if (list.length === READINGS.length) return "every reading went in: push only those above 22, with an if inside the loop.";
      const cold = list.filter((t) => typeof t === "number" && t <= WARM_ABOVE);
      if (cold.length > 0) return `${cold.join(" and ")} °C is not above 22 °C, so it should not be in warm.`;
      const missing = wanted.filter((t) => !list.includes(t));
      if (missing.length > 0) return `${missing.join(" and ")} °C is above 22 °C and should be in warm.`;
      return `warm should be [${wanted.join(", ")}] (in the order they came), but it is ${show(warm)}.`;
    },
    praise: "warm is [24, 27, 23]: a for loop visits every reading, and push adds to the end of a list.",
    hints: [
      "for (const t of readings) { … } runs the lines in braces once for each reading, with t set to it.",
      "Inside the loop: if (t > 22) warm.push(t);",
    ],
    solution: "const warm: number[] = [];\nfor (const t of readings) {\n  if (t > 22) warm.push(t);\n}",
  }),

  fanLabel: exercise<[unknown]>({
    task: 'Write an arrow function fanLabel that gives "ON" for a temperature above 25 and "off" otherwise, using ? :.',
    check: (fn) => {
      if (typeof fn !== "function")
        return `pass the function itself, check(fanLabel), with no brackets after its name (you gave ${show(fn)}).`;
      const cases: Array<[number, string, string]> = [
        [27, "ON", "27 is above 25"],
        [18, "off", "18 is not above 25"],
        [25, "off", "25 is not ABOVE 25 (> is 'above'; >= would be 'above or equal')"],
      ];
      for (const [t, expected, why] of cases) {
        const got: unknown = fn(t);
        if (isBlank(got)) return new Verdict("blank", "fanLabel still gives TODO: replace it with your ? : expression.");
        if (typeof got === "boolean") return `fanLabel(${t}) gave ${got}: that is the test. Put it in front of ? "ON" : "off".`;
        if (typeof got === "string" && got !== expected && got.toLowerCase() === expected.toLowerCase()) {
          return `fanLabel(${t}) gave "${got}": write it exactly "${expected}" (capitals matter in text).`;
        }
        if (got !== expected) return `fanLabel(${t}) gave ${show(got)}, but ${why}, so it should give "${expected}".`;
      }
      return true;
    },
    praise: 'test ? this : that gives "this" when the test is true, and "that" when it is not.',
    hints: [
      "The test is t > 25. The ternary is: test ? valueIfTrue : valueIfFalse.",
      'const fanLabel = (t: number) => (t > 25 ? "ON" : "off");',
    ],
    solution: 'const fanLabel = (t: number) => (t > 25 ? "ON" : "off");',
  }),

  thermometer: exercise<[unknown]>({
    task: 'Write class Thermometer extends Sensor, overriding describe so that it adds " °C": new Thermometer("kitchen").describe(21) gives "kitchen: 21 °C".',
    check: (made) => {
      const describe = (made as { describe?: unknown } | null)?.describe;
      if (typeof made !== "object" || made === null || typeof describe !== "function") {
        return `check a thermometer, check(new Thermometer("kitchen")), not ${show(made)}.`;
      }
      if (made.constructor.name === "Sensor") return "that is a plain Sensor: make a Thermometer (new Thermometer(…)).";
      const name = (made as { name?: unknown }).name;
      const got: unknown = describe.call(made, 21);
      if (isBlank(got)) return new Verdict("blank", "describe still gives TODO: replace it with your text.");
      const expected = `${String(name)}: 21 °C`;
      if (got === expected) return true;
      if (got === `${String(name)}: 21`) return 'describe gives what Sensor gives: add " °C" to super.describe(value) in your override.';
      if (typeof got === "string" && got.replace(/\s/g, "") === expected.replace(/\s/g, "")) {
        return `describe(21) gave "${got}": put one space before °C, "${expected}".`;
      }
      return `describe(21) gave ${show(got)}, but it should give "${expected}".`;
    },
    praise: "extends makes a Thermometer a Sensor with changes; override replaces a method, and super calls the original.",
    hints: [
      "Start with: class Thermometer extends Sensor { override describe(value: number): string { … } }",
      'Inside describe: return super.describe(value) + " °C";',
    ],
    solution:
      'class Thermometer extends Sensor {\n  override describe(value: number): string {\n    return super.describe(value) + " °C";\n  }\n}',
    defines: "Thermometer",
  }),
};
