// `npm run notebooks [-- options] [notebook.ipynb ...]`: execute the lessons headless through the project
// kernel (scripts/notebook_runner does the work) with the .venv's nbclient when there is a .venv, else Debian's.
// Executed copies go to out/notebooks/ (and with --html, out/html/); sources are never written.
import { spawn } from "node:child_process";
import path from "node:path";
import { parseCommandLine, positiveInteger } from "./cli-args.mjs";
import { REPO, findRunnerPython, jupyterEnv, requireTslab } from "./jupyter.mjs";

const USAGE = `npm run notebooks -- [--timeout S] [--cwd DIR] [--out DIR] [--html] [--kernel NAME] [--startup-timeout S] [notebook.ipynb ...]
  (default: notebooks/*.ipynb in name order)
  --timeout S          time limit per cell in seconds (default 120, or $NOTEBOOK_CELL_TIMEOUT)
  --cwd DIR            kernel working directory (default: each notebook's own folder)
  --out DIR            executed copies go to DIR/notebooks, HTML to DIR/html (default out/)
  --html               also export the executed notebooks to HTML
  --kernel NAME        kernelspec name (default learning-mqtt)
  --startup-timeout S  seconds to wait for the kernel to start (default 60)`;
const { values, positionals } = parseCommandLine("npm run notebooks", USAGE, {
  timeout: { type: "string" },
  cwd: { type: "string" },
  out: { type: "string" },
  html: { type: "boolean" },
  kernel: { type: "string" },
  "startup-timeout": { type: "string" },
});
const forwarded = [];
for (const flag of ["timeout", "startup-timeout"]) {
  const value = positiveInteger("npm run notebooks", flag, values[flag]);
  if (value !== undefined) forwarded.push(`--${flag}`, String(value));
}
for (const flag of ["cwd", "out", "kernel"]) if (values[flag] !== undefined) forwarded.push(`--${flag}`, values[flag]);
if (values.html) forwarded.push("--html");

requireTslab();
const found = findRunnerPython();
if (!found) {
  console.error(
    "npm run notebooks: no Python with nbclient: run `npm test` (it installs Debian's python3-nbclient) or `npm start` once (it makes the .venv)",
  );
  process.exit(1);
}

const child = spawn(found.python, [path.join(REPO, "scripts", "execute_notebook.py"), ...forwarded, ...positionals], {
  env: jupyterEnv(),
  stdio: "inherit",
});
// Ctrl-C reaches the Python process directly (same process group): it shuts the kernel down, reports
// and exits 130. Forwarding SIGINT as well would interrupt its clean-up, so only SIGTERM is passed on.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("error", (error) => {
  console.error(`npm run notebooks: could not run ${found.python}: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
