// `npm run notebooks [-- options] [notebook.ipynb ...]`: execute the lessons headless through the
// project kernel (scripts/execute_notebook.py does the work; `-- --help` lists the options).
// Executed copies go to out/notebooks/ (and with --html, out/html/); sources are never written.
import { spawn } from "node:child_process";
import path from "node:path";
import { REPO, installHint, findRunnerPython, jupyterEnv, requireTslab } from "./jupyter.mjs";

requireTslab();
const found = findRunnerPython();
if (!found) {
  console.error(installHint("Jupyter's nbclient", "npm run notebooks"));
  process.exit(1);
}

const child = spawn(found.python, [path.join(REPO, "scripts", "execute_notebook.py"), ...process.argv.slice(2)], {
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
