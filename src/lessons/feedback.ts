/**
 * What every exercise check needs to talk about a student's answer: any value shown in at most a line (never
 * 2,200 numbers), "close enough" for numbers, why an answer is not a number, and the mistakes students make
 * with TypeScript's numbers (`^` for "to the power", a comma inside a number).
 */
import { withCommas } from "../text";

/** Longest text of a value in a message: about one line of a notebook. */
const SHOWN_CHARS = 80;
/** Numbers shown from the start of a long list. */
const SHOWN_NUMBERS = 3;

/**
 * Any value as people would describe it, in at most one line: 1,500,000 or 1.5e+15 for numbers, text in quotes,
 * "a Float64Array of 2,200 numbers, starting 0.0031, 0.0029, 0.0030 …" for a row, "a function" for a function.
 * @example show(pulse.channel("R4BLM3")) // "a Float64Array of 2,200 numbers, starting -0.0011, 0.0004, 0.0002 …"
 */
export function show(value: unknown): string {
  if (typeof value === "number") {
    if (Number.isInteger(value) && Math.abs(value) < 1e9) return withCommas(value);
    return String(Number(value.toPrecision(6)));
  }
  if (typeof value === "string") return shorten(JSON.stringify(value));
  if (typeof value === "function") return value.name ? `the function ${value.name}` : "a function";
  if (value === null || typeof value !== "object") return String(value);
  if (ArrayBuffer.isView(value) && "length" in value) return listOf(value as unknown as ArrayLike<unknown>, value.constructor.name);
  if (Array.isArray(value)) return listOf(value, "list");
  const name = value.constructor?.name;
  const keys = Object.keys(value);
  const what = name && name !== "Object" ? `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}` : "an object";
  return shorten(keys.length ? `${what} with ${keys.slice(0, 5).join(", ")}${keys.length > 5 ? " …" : ""}` : what);
}

function listOf(list: ArrayLike<unknown>, kind: string): string {
  const n = list.length;
  const head = Array.from({ length: Math.min(n, SHOWN_NUMBERS) }, (_, i) => list[i]);
  const numbers = head.every((v) => typeof v === "number");
  const item = (v: unknown) => (typeof v === "number" && !Number.isInteger(v) ? v.toFixed(4) : show(v));
  const start = head.map(item).join(", ");
  const a = /^[AEIOU]/.test(kind) ? "an" : "a";
  if (n === 0) return `an empty ${kind}`;
  const what = `${a} ${kind} of ${withCommas(n)} ${numbers ? "number" : "item"}${n === 1 ? "" : "s"}`;
  return shorten(n <= SHOWN_NUMBERS ? `${what}: [${start}]` : `${what}, starting ${start} …`);
}

function shorten(text: string): string {
  return text.length <= SHOWN_CHARS ? text : `${text.slice(0, SHOWN_CHARS - 1)}…`;
}

/** Whether two numbers agree to a relative tolerance. */
export function near(a: number, b: number, relative = 1e-3): boolean {
  return Math.abs(a - b) <= relative * Math.max(Math.abs(a), Math.abs(b));
}

/** Says why an answer is not a number, or undefined if it is one. */
export function notANumber(value: unknown, what = "your answer"): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return undefined;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value.replace(/[,_]/g, "")))) {
    return `${what} is the text ${show(value)}: write the number without quotes.`;
  }
  if (typeof value === "number" && Number.isNaN(value)) {
    return `${what} is NaN ("not a number"): something in the calculation was not a number (undefined, or text?).`;
  }
  if ((ArrayBuffer.isView(value) || Array.isArray(value)) && "length" in value && (value as ArrayLike<unknown>).length !== 1) {
    return `${what} is ${show(value)}, but the question asks for ONE number: pick one of them with [ ], e.g. list[0].`;
  }
  if (typeof value === "boolean") return `${what} is ${value}, a yes/no value: the question asks for a number.`;
  return `${what} should be a number, but it is ${show(value)}.`;
}

/**
 * Why a number is wrong, when it is what `^` gives where `**` was meant: in TypeScript `^` is not "to the power"
 * (it mixes the bits of two numbers: 62 ^ 12 is 50). `tries` are the expressions a student might have written,
 * each as its text with `^` and its value as TypeScript computes it.
 * @example caretMistake(50, [["62 ^ 12", 62 ^ 12]]) // "62 ^ 12 is 50 in TypeScript: ^ is not 'to the power' …"
 */
export function caretMistake(answer: number, tries: ReadonlyArray<readonly [string, number]>): string | undefined {
  const found = tries.find(([, value]) => value === answer);
  if (!found) return undefined;
  const [text] = found;
  return `${text} is ${show(answer)} in TypeScript: ^ is not "to the power" (it mixes the bits of two numbers). Write ** instead: ${text.replace(/\s*\^\s*/g, " ** ")}.`;
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
