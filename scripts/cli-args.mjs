// Command lines of the scripts: Node's util.parseArgs, with `--help` and one line (exit 2) for a bad flag.
import { parseArgs } from "node:util";

/**
 * Parses `args` (default: this process's arguments) against `options` (util.parseArgs' format; `--help`/`-h`
 * is added). `--help` prints `usage: …` and exits 0; an unknown flag, a missing value or an unexpected
 * argument prints one line naming it and exits 2 — never a stack trace.
 * @returns {{ values: Record<string, unknown>, positionals: string[] }}
 */
export function parseCommandLine(command, usage, options, { allowPositionals = true, args = process.argv.slice(2) } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { help: { type: "boolean", short: "h" }, ...options }, allowPositionals, strict: true });
  } catch (error) {
    fail(command, describeParseError(error));
  }
  if (parsed.values.help) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  return parsed;
}

/** One line for a bad command line, then exit 2. */
export function fail(command, message) {
  console.error(`${command}: ${message} (try --help)`);
  process.exit(2);
}

/** A positive whole number from a flag's text, or a one-line failure naming the flag. */
export function positiveInteger(command, flag, text) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) <= 0) fail(command, `--${flag} wants a positive whole number, not ${JSON.stringify(text)}`);
  return Number(text);
}

function describeParseError(error) {
  const quoted = /'([^']+)'/.exec(String(error?.message ?? ""))?.[1];
  switch (error?.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${quoted ?? ""}`.trim();
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return /argument missing/.test(error.message)
        ? `option ${optionName(quoted)} needs a value`
        : `option ${optionName(quoted)} takes no value`;
    case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
      return `unexpected argument ${quoted ?? ""}`.trim();
    default:
      return String(error?.message ?? error).split("\n")[0];
  }
}

/** parseArgs quotes an option as "-p, --port <value>" or "--port": keep the long name. */
function optionName(quoted = "") {
  return /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
}
