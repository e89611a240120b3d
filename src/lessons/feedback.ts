/**
 * What every exercise check needs to talk about a student's answer: numbers shown the way people write them,
 * "close enough" for numbers, and why an answer is not a number.
 */
import { withCommas } from "../text";

/** A number as people write it: 1,500,000 or 1.5e+15 for very large ones. */
export function show(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return withCommas(value);
    return String(Number(value.toPrecision(6)));
  }
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** Whether two numbers agree to a relative tolerance. */
export function near(a: number, b: number, relative = 1e-3): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
}

/** Says why an answer is not a number, or undefined if it is one. */
export function notANumber(value: unknown, what = "your answer"): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return undefined;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return `${what} is the text ${show(value)}: write the number without quotes.`;
  }
  return `${what} should be a number, but it is ${show(value)}.`;
}

/**
 * Judges a multiple-choice answer ("a", "b" …): true for the right letter, else the reason given for the letter
 * chosen, or how to answer.
 * @example choose(answer, "b", { a: "look again at …", c: "…" })
 */
export function choose(answer: unknown, right: string, wrong: Readonly<Record<string, string>>): true | string {
  const letters = [right, ...Object.keys(wrong)].sort();
  const listed = `${letters
    .slice(0, -1)
    .map((l) => `"${l}"`)
    .join(", ")} or "${letters.at(-1)}"`;
  if (typeof answer !== "string") return `answer with a letter in quotes: ${listed} (you gave ${show(answer)}).`;
  const letter = answer.trim().toLowerCase();
  if (letter === right) return true;
  return wrong[letter] ?? `answer ${listed} (you gave ${show(answer)}).`;
}
