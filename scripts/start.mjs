// `npm start [-- --lab] [-- <jupyter args>]`: build src/ once, keep rebuilding it in the background,
// and serve the lessons in Jupyter with the project's TypeScript kernel. Ctrl-C stops everything.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { REPO, findJupyter, installJupyter, jupyterEnv, requireTslab } from "./jupyter.mjs";

const args = process.argv.slice(2);
const wantLab = args.includes("--lab");
const passThrough = args.filter((a) => a !== "--lab");

requireTslab();
const jupyter = findJupyter() ?? (await installJupyter());
if (!jupyter) process.exit(1);

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
let useLab = false;
if (wantLab) {
  if (jupyter.lab) useLab = true;
  else console.warn("npm start: JupyterLab is not installed (`pip install jupyterlab`); starting the classic notebook");
}
const notebooksDir = path.join(REPO, "notebooks");
if (!existsSync(notebooksDir)) mkdirSync(notebooksDir);
const jupyterArgs = useLab
  ? ["-m", "jupyterlab", `--ServerApp.root_dir=${REPO}`, "--LabApp.default_url=/lab/tree/notebooks"]
  : jupyter.classic
    ? ["-m", "notebook", `--notebook-dir=${REPO}`, "--NotebookApp.default_url=/tree/notebooks"]
    : ["-m", "jupyterlab", `--ServerApp.root_dir=${REPO}`, "--LabApp.default_url=/lab/tree/notebooks"];
if (typeof process.getuid === "function" && process.getuid() === 0 && !passThrough.includes("--allow-root")) {
  jupyterArgs.push("--allow-root");
}
jupyterArgs.push(...passThrough);

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
