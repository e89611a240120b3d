// A real notebook kernel (the project's learning-mqtt kernelspec, tslab), driven by jupyter_client from Debian's
// Python as Jupyter does: cells run one by one, a cell can be interrupted (■) some seconds after it starts, and
// each cell's status, stdout and stderr come back. The kernel is shut down at the end, and its shutdown timed.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
const PYTHON = "/usr/bin/python3";

/** Runs the cells one by one; a cell given as [code, seconds] is interrupted that many seconds after it starts. */
const DRIVER = String.raw`
import json, os, sys, threading, time
from jupyter_client.manager import KernelManager

cells = json.loads(sys.argv[1])
km = KernelManager(kernel_name="learning-mqtt")
km.start_kernel(cwd=sys.argv[2])
kc = km.blocking_client()
kc.start_channels()
kc.wait_for_ready(timeout=60)
results = []
for cell in cells:
    code, interrupt_after = (cell if isinstance(cell, list) else [cell, None])
    out = {"stdout": "", "stderr": ""}
    def hook(msg):
        if msg["msg_type"] == "stream":
            out[msg["content"]["name"]] += msg["content"]["text"]
    timer = None
    interrupted_at = None
    if interrupt_after is not None:
        def interrupt():
            global interrupted_at
            interrupted_at = time.monotonic()
            km.interrupt_kernel()
        timer = threading.Timer(interrupt_after, interrupt)
        timer.start()
    started = time.monotonic()
    try:
        reply = kc.execute_interactive(code, timeout=30, output_hook=hook, allow_stdin=False)
        status = reply["content"]["status"]
    except TimeoutError:
        status = "timeout"
    ended = time.monotonic()
    if status != "ok":
        time.sleep(0.5)  # tslab aborts cells sent within ~200 ms after an error; a person is slower
    results.append({
        "status": status,
        "seconds": ended - started,
        "afterInterrupt": None if interrupted_at is None else ended - interrupted_at,
        **out,
    })
kc.stop_channels()
started = time.monotonic()
km.request_shutdown()
while km.is_alive() and time.monotonic() - started < 15:
    time.sleep(0.02)
shutdown = time.monotonic() - started
alive = km.is_alive()
km.shutdown_kernel(now=True)
km.cleanup_resources()
print(json.dumps({"cells": results, "shutdownSeconds": shutdown, "aliveAfter15s": alive}))
`;

export type Cell = { status: string; seconds: number; afterInterrupt: number | null; stdout: string; stderr: string };
export type Run = { cells: Cell[]; shutdownSeconds: number; aliveAfter15s: boolean };

/**
 * Makes sure the kernel can run: jupyter_client is there (Debian's python3-jupyter-client, with nbclient) and the
 * compiled module the kernel imports (node_modules/learning-mqtt → dist/) is current.
 */
export function prepareKernel(): void {
  execFileSync(PYTHON, ["-c", "import jupyter_client"]);
  try {
    execFileSync(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: REPO,
      stdio: "pipe",
    });
  } catch {
    // Type errors elsewhere in src/ still emit JavaScript; the cells show whether what a test needs works.
  }
}

/** Starts a kernel in notebooks/ (on the built-in feed), runs the cells, shuts it down; the driver exits by itself. */
export function runKernel(cells: Array<string | [string, number]>, env: Record<string, string> = {}): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), "kernel-"));
  const driver = path.join(dir, "driver.py");
  writeFileSync(driver, DRIVER);
  return new Promise<Run>((resolve, reject) => {
    const child = spawn(PYTHON, [driver, JSON.stringify(cells), path.join(REPO, "notebooks")], {
      env: { ...process.env, JUPYTER_PATH: path.join(REPO, "jupyter"), MQTT_URL: "", MQTT_TOPIC: "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop()!) as Run);
      } catch {
        reject(new Error(`the kernel driver failed (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}
