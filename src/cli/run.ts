/**
 * src/cli/: the command-line programs (`npm run feed`, `npm run listen`) and what they share (this file:
 * flags, one-line errors, exit codes). It may import every folder; nothing imports it.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type FlagSpec = NonNullable<ParseArgsConfig["options"]>;
/** The parsed flags: strings, or booleans for `type: "boolean"` flags, lists for `multiple: true`; absent ones undefined. */
export type Flags<T extends FlagSpec> = {
  [K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : T[K]["multiple"] extends true ? string[] : string;
};
import { ConnectionError, PayloadError, SettingsError, messageOf } from "../errors";

/** Parses a command's flags; a wrong flag prints one line and the usage, then exits 2. */
export function parseFlags<T extends FlagSpec>(command: string, usage: string, options: T): Flags<T> {
  try {
    return parseArgs({ options, allowPositionals: false, strict: true }).values as Flags<T>;
  } catch (error) {
    fail(command, `${messageOf(error)}\nusage: ${usage}`, 2);
  }
}

/**
 * A numeric flag's value (`fallback` when it is absent).
 * @throws RangeError "invalid --name: value" for anything that is not a number for which `check` holds.
 */
export function numberFrom(name: string, value: string | undefined, fallback: number, check: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || !check(n)) throw new RangeError(`invalid --${name}: ${value}`);
  return n;
}

/** A numeric flag of a command: as numberFrom, but a bad value prints one line and exits 2. */
export function numberFlag(
  command: string,
  name: string,
  value: string | undefined,
  fallback: number,
  check: (n: number) => boolean,
): number {
  try {
    return numberFrom(name, value, fallback, check);
  } catch (error) {
    fail(command, messageOf(error), 2);
  }
}

/** Runs a command's main; expected errors end in one line on stderr, never a stack trace. */
export function runMain(command: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    // A file that cannot be read or written (ENOENT, EACCES …) is the user's to fix: its one-line message says which.
    const system = error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === "string";
    const expected = system || [SettingsError, ConnectionError, PayloadError, RangeError].some((type) => error instanceof type);
    fail(command, expected ? messageOf(error) : `unexpected error: ${error instanceof Error ? error.stack : String(error)}`, 1);
  });
}

export function fail(command: string, message: string, code: number): never {
  process.stderr.write(`${command}: ${message}\n`);
  process.exit(code);
}
