// `npm start [-- --lab | --classic] [-- --port N --no-browser] [-- <Jupyter options>]`: build src/ once, keep
// rebuilding it in the background, and serve the lessons with the project's TypeScript kernel in Notebook 7
// (default), JupyterLab 4 (--lab) — both from the project's .venv, made from PyPI on first run — or Debian's
// classic Notebook 6.4 (--classic, and the fallback when PyPI cannot be reached). Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fail, parseCommandLine, positiveInteger } from "./cli-args.mjs";
import { FRONT_ENDS, REPO, jupyterEnv, prepareFrontEnd, requireTslab } from "./jupyter.mjs";

const USAGE = `npm start -- [--lab | --classic] [--port N] [--no-browser] [--ip ADDRESS] [-- <Jupyter options>]
  (no flag)    Notebook 7, from the project's .venv (made from PyPI on first run)
  --lab        JupyterLab 4, from the same .venv
  --classic    Debian's classic Notebook 6.4 (also what starts when PyPI cannot be reached)
  --port N     serve on port N (default: Jupyter's 8888, or the next free one)
  --no-browser do not open a browser
  --ip ADDRESS listen on ADDRESS (default: localhost only)
  Jupyter's own options (--ServerApp.x=…) go after a second --, e.g. npm start -- -- --ServerApp.token=abc`;

// Jupyter's configurable options (--ServerApp.port_retries=0 …) pass through as they are.
const argv = process.argv.slice(2);
const jupyterConfig = argv.filter((a) => /^--[A-Z][A-Za-z]+\.[A-Za-z_]+=/.test(a));
const { values, positionals } = parseCommandLine(
  "npm start",
  USAGE,
  {
    lab: { type: "boolean" },
    classic: { type: "boolean" },
    port: { type: "string" },
    "no-browser": { type: "boolean" },
    ip: { type: "string" },
  },
  { args: argv.filter((a) => !jupyterConfig.includes(a)) },
);
if (values.lab && values.classic) fail("npm start", "--lab and --classic exclude each other: pick one");
const port = positiveInteger("npm start", "port", values.port);
const passThrough = [...jupyterConfig, ...positionals];
const positional = positionals.find((a) => !a.startsWith("-"));
if (positional && !argv.includes("--")) fail("npm start", `unexpected argument ${positional}`);
const want = values.lab ? "lab" : values.classic ? "classic" : "notebook";

requireTslab();
const jupyter = await prepareFrontEnd(want);

// 1. Build once, so the notebooks see the current src/ from the first cell.
const npm = process.env.npm_execpath
  ? { command: process.execPath, args: [process.env.npm_execpath] }
  : { command: process.platform === "win32" ? "npm.cmd" : "npm", args: [] };
const build = spawnSync(npm.command, [...npm.args, "run", "--silent", "build"], { cwd: REPO, stdio: "inherit" });
if (build.status !== 0) {
  console.warn("npm start: the build reported errors (above); starting anyway, the watcher rebuilds on every save");
}

// 2. Keep dist/ current while src/ is edited.
const tsc = path.join(REPO, "node_modules", "typescript", "bin", "tsc");
const watcher = spawn(process.execPath, [tsc, "-p", "tsconfig.build.json", "--watch", "--preserveWatchOutput"], {
  cwd: REPO,
  stdio: ["ignore", "pipe", "inherit"],
});
createInterface({ input: watcher.stdout }).on("line", (line) => {
  if (line.trim()) console.log(`[tsc] ${line}`);
});
console.log("[tsc] watching src/: edits are rebuilt into dist/; restart the kernel (Kernel > Restart) to pick them up");

// 3. Jupyter, serving the repository (so that ../assets/ images load) and opening on notebooks/.
const notebooksDir = path.join(REPO, "notebooks");
if (!existsSync(notebooksDir)) mkdirSync(notebooksDir);
const jupyterArgs = {
  notebook: ["-m", "notebook", `--ServerApp.root_dir=${REPO}`, "--JupyterNotebookApp.default_url=/tree/notebooks"],
  lab: ["-m", "jupyterlab", `--ServerApp.root_dir=${REPO}`, "--LabApp.default_url=/lab/tree/notebooks"],
  classic: ["-m", "notebook", `--notebook-dir=${REPO}`, "--NotebookApp.default_url=/tree/notebooks"],
}[jupyter.frontEnd];
if (port !== undefined) jupyterArgs.push(`--port=${port}`);
if (values["no-browser"]) jupyterArgs.push("--no-browser");
if (values.ip) jupyterArgs.push(`--ip=${values.ip}`);
if (typeof process.getuid === "function" && process.getuid() === 0 && !passThrough.includes("--allow-root")) {
  jupyterArgs.push("--allow-root");
}
jupyterArgs.push(...passThrough);
const where = jupyter.python.startsWith(REPO + path.sep) ? path.relative(REPO, jupyter.python) : jupyter.python;
console.log(`npm start: ${FRONT_ENDS[jupyter.frontEnd].name} ${jupyter.version} (${where})`);

// Jupyter runs in its own process group, so a Ctrl-C in the terminal reaches only this script, which
// then sends Jupyter a single SIGTERM: Jupyter shuts its kernels down and exits, without asking y/n.
// (A second signal arriving while it shuts kernels down makes it stop half-way with a traceback.)
const server = spawn(jupyter.python, jupyterArgs, {
  cwd: REPO,
  env: jupyterEnv(),
  stdio: ["ignore", "inherit", "inherit"],
  detached: process.platform !== "win32",
});
// If this script dies some other way, do not leave the server behind.
process.on("exit", () => {
  if (server.exitCode === null && server.signalCode === null) server.kill("SIGTERM");
});

let stopping = false;
const exited = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });

async function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of [server, watcher]) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
  const force = setTimeout(() => {
    for (const child of [server, watcher]) child.kill("SIGKILL");
  }, 15_000);
  await Promise.all([exited(server), exited(watcher)]);
  clearTimeout(force);
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    if (stopping) return console.log("npm start: still stopping (Jupyter is shutting its kernels down)...");
    console.log("\nnpm start: stopping Jupyter and the watcher...");
    void stop(0);
  });
}
server.on("error", (error) => {
  console.error(`npm start: could not start Jupyter with ${jupyter.python}: ${error.message}`);
  void stop(1);
});
server.on("exit", (code, signal) => {
  if (!stopping) void stop(code ?? (signal ? 1 : 0));
});
watcher.on("exit", (code) => {
  if (!stopping)
    console.warn(`[tsc] the watcher stopped (exit ${code}); src/ edits no longer reach the notebooks until npm start is restarted`);
});
