/**
 * Exercises with instant feedback, in the style of Kaggle's learntools: starter code ends in a check call
 * that says correct / not quite (and why) / not tried yet, with numbered hints and a solution on request.
 *
 * In a notebook the blank `TODO` stands for "your answer here":
 * @example
 * const answer = TODO;                 // the student replaces TODO with 39
 * lesson01.blmCount.check(answer)      // ✏️ Not tried yet … / ❌ Not quite: … / ✅ Correct: …
 * lesson01.blmCount.hint()             // prints the next hint
 * lesson01.blmCount.solution()         // prints an answer
 */
import { inspect } from "node:util";
import { newestDefinition } from "../kernel/cells";

import { show } from "./feedback";

const BLANK = Symbol.for("learning-mqtt.blank");

/**
 * The blank in starter code: "replace TODO with your answer". A check that meets it says "not tried yet".
 * Typed `any` so that `const answer: number = TODO;` compiles before the student fills it in.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the blank must fit wherever an answer goes
export const TODO: any = BLANK;

/** Whether a value is the blank `TODO`, or holds it (in an array or as an object's property). */
export function isBlank(value: unknown, depth = 2): boolean {
  if (value === BLANK) return true;
  if (depth <= 0 || value === null || typeof value !== "object") return false;
  if (ArrayBuffer.isView(value)) return false;
  return Object.values(value).some((v) => isBlank(v, depth - 1));
}

export type VerdictKind = "correct" | "incorrect" | "blank";

/** Longest message a verdict prints: a few lines at most, whatever a check puts in it. */
const MESSAGE_CHARS = 600;

// The words carry the meaning; the icons only decorate (a computer without an emoji font shows boxes).
const ICONS: Record<VerdictKind, string> = { correct: "✅ Correct", incorrect: "❌ Not quite", blank: "✏️ Not tried yet" };

/** The answer to a check call. A notebook prints it as one readable line (it is a cell's last value). */
export class Verdict {
  /** Why: what was right, or what is wrong with the answer and what to look at. */
  readonly message: string;
  constructor(
    readonly kind: VerdictKind,
    message: string,
  ) {
    this.message = message.length <= MESSAGE_CHARS ? message : `${message.slice(0, MESSAGE_CHARS - 1)}…`;
  }
  get correct(): boolean {
    return this.kind === "correct";
  }
  toString(): string {
    return `${ICONS[this.kind]}: ${this.message}`;
  }
  [inspect.custom](): string {
    return this.toString();
  }
}

/** Text that prints as itself, without quotes, when it is a cell's last value (hints, solutions). */
export class Note {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  [inspect.custom](): string {
    return this.text;
  }
}

/** What a checker returns: true (correct, with the default praise), or a verdict, or a string (= not quite, because …). */
export type CheckResult = true | string | Verdict;

export interface ExerciseSpec<Args extends unknown[]> {
  /** One line saying what to do; shown by `exercise.task`. */
  task: string;
  /** Decides. Never called with a blank; may throw (reported as "not quite" with the error). */
  check: (...answer: Args) => CheckResult;
  /** What a correct answer hears, unless the checker returns its own verdict. */
  praise?: string;
  /** At least one; shown one at a time by hint(). */
  hints: readonly string[];
  /** Code (or words) that answers the exercise. */
  solution: string;
  /**
   * The name the answer is defined under in its own cell (a class, a function), or how to find it from the answer:
   * when the newest cell defining it did not run (it had an error), the verdict says that it checked the older one.
   */
  defines?: string | ((...answer: Args) => string | undefined);
}

/** One exercise: `check(answer)`, `hint()`, `solution()`. */
export class Exercise<Args extends unknown[]> {
  private hintsShown = 0;
  constructor(private readonly spec: ExerciseSpec<Args>) {
    if (spec.hints.length === 0) throw new RangeError(`exercise "${spec.task}" needs at least one hint`);
  }

  /** What the exercise asks. */
  get task(): Note {
    return new Note(this.spec.task);
  }

  /** Checks an answer: correct / not quite, and why / not tried yet (the answer still holds TODO). */
  check(...answer: Args): Verdict {
    if (answer.length === 0 || answer.some((a) => isBlank(a))) {
      return new Verdict("blank", "replace TODO with your answer, then run the cell again.");
    }
    let result: CheckResult;
    try {
      result = this.spec.check(...answer);
    } catch (error) {
      result = `checking your answer failed: ${error instanceof Error ? error.message.split("\n")[0]! : show(error)}`;
    }
    const verdict =
      result instanceof Verdict
        ? result
        : result === true
          ? new Verdict("correct", this.spec.praise ?? "well done.")
          : new Verdict("incorrect", result);
    const stale = this.staleNote(answer);
    return stale ? new Verdict(verdict.kind, `${verdict.message} ${stale}`) : verdict;
  }

  /** Says that the answer's newest definition did not run, so that an older one was checked. */
  private staleNote(answer: Args): string | undefined {
    const defines = this.spec.defines;
    let name: string | undefined;
    try {
      name = typeof defines === "function" ? defines(...answer) : defines;
    } catch {
      return undefined;
    }
    const newest = name ? newestDefinition(name) : undefined;
    if (!newest || newest.ran) return undefined;
    return `(Careful: your newest ${name}, in cell [${newest.count}], did not run because of its error, so this checked the one before it. Fix that cell, run it, then run this one again.)`;
  }

  /** Prints the next hint (or hint number `n`, counting from 1). */
  hint(n?: number): void {
    console.log(this.hintText(n));
  }

  /** Prints the answer, for when you are stuck (try the hints first). */
  solution(): void {
    console.log(this.solutionText());
  }

  /** The text hint() prints; it moves on to the next hint, like hint(). */
  hintText(n?: number): string {
    const hints = this.spec.hints;
    const index = n === undefined ? Math.min(this.hintsShown, hints.length - 1) : Math.min(Math.max(1, Math.floor(n)), hints.length) - 1;
    this.hintsShown = Math.max(this.hintsShown, index + 1);
    const more = index + 1 < hints.length ? " (run hint() again for the next one)" : "";
    return `💡 Hint ${index + 1} of ${hints.length}: ${hints[index]}${more}`;
  }

  /** The text solution() prints. */
  solutionText(): string {
    return `🔑 Solution:\n${this.spec.solution}`;
  }
}

/** Makes an exercise. */
export function exercise<Args extends unknown[]>(spec: ExerciseSpec<Args>): Exercise<Args> {
  return new Exercise(spec);
}
