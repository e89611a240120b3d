// A real notebook kernel (the project's learning-mqtt kernelspec, tslab), driven by jupyter_client from Debian's
// Python as Jupyter does: interrupting a cell that waits on MQTT stops it and its client at once, re-running
// cells leaves no old clients behind, and shutting the kernel down is prompt even with a client still
// connected and the built-in feed running.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

const REPO = path.resolve(__dirname, "..", "..");
const PYTHON = "/usr/bin/python3";
const dir = mkdtempSync(path.join(tmpdir(), "kernel-interrupt-"));

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

type Cell = { status: string; seconds: number; afterInterrupt: number | null; stdout: string; stderr: string };
type Run = { cells: Cell[]; shutdownSeconds: number; aliveAfter15s: boolean };

function runKernel(cells: Array<string | [string, number]>): Promise<Run> {
  const driver = path.join(dir, "driver.py");
  writeFileSync(driver, DRIVER);
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [driver, JSON.stringify(cells), path.join(REPO, "notebooks")], {
      env: { ...process.env, JUPYTER_PATH: path.join(REPO, "jupyter"), MQTT_URL: "", MQTT_TOPIC: "" },
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
  });
}

describe("a notebook kernel with MQTT clients", () => {
  let run: Run;
  before(async () => {
    execFileSync(PYTHON, ["-c", "import jupyter_client"]); // Debian's python3-jupyter-client (comes with nbclient)
    // The kernel imports the compiled module (node_modules/learning-mqtt → dist/): make sure it is current.
    try {
      execFileSync(process.execPath, [path.join(REPO, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
        cwd: REPO,
        stdio: "pipe",
      });
    } catch {
      // Type errors elsewhere in src/ still emit JavaScript; the cells below show whether what we need works.
    }
    run = await runKernel([
      'import { startBuiltInFeed, getLiveData, MQTTClient, sleep } from "learning-mqtt";\n' +
        "const feed = await startBuiltInFeed({ rate: 20 });\n" +
        'console.log("pid", process.pid, "clients", feed.broker.connectedClients);',
      ['const data = await getLiveData(undefined, 60, { keep: 2 });\nconsole.log("received", data.received);', 2],
      'await sleep(300);\nconsole.log("clients", feed.broker.connectedClients);',
      // The broker runs on a thread of its own: it sees getLiveData's client go a moment after the cell's await ends.
      'const again = await getLiveData(undefined, 1.5, { keep: 2 });\nawait sleep(200);\nconsole.log("received", again.received, "clients", feed.broker.connectedClients);',
      'const printer = new MQTTClient(undefined, { name: "printer" });\nawait printer.connect();\nawait sleep(300);\nconsole.log("clients", feed.broker.connectedClients);',
      'const printer = new MQTTClient(undefined, { name: "printer" });\nawait printer.connect();\nawait sleep(300);\nconsole.log("clients", feed.broker.connectedClients);',
    ]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the kernel starts the built-in feed", () => {
    const [setup] = run.cells;
    assert.equal(setup!.status, "ok", setup!.stderr);
    assert.match(setup!.stdout, /^pid \d+ clients 1$/m);
  });

  test("interrupting a cell that awaits a 60 s getLiveData ends it within a few seconds", () => {
    const interrupted = run.cells[1]!;
    assert.equal(interrupted.status, "error");
    assert.ok(interrupted.afterInterrupt! < 3, `the reply came ${interrupted.afterInterrupt} s after the interrupt`);
    assert.match(interrupted.stderr, /Interrupted/);
    assert.doesNotMatch(interrupted.stdout, /received/);
  });

  test("the interrupted cell's client is closed: only the feed is connected", () => {
    const check = run.cells[2]!;
    assert.equal(check.status, "ok", check.stderr);
    assert.equal(check.stdout, "clients 1\n");
  });

  test("re-running the cell works", () => {
    const again = run.cells[3]!;
    assert.equal(again.status, "ok", again.stderr);
    const [, received, clients] = again.stdout.match(/^received (\d+) clients (\d+)$/m) ?? [];
    assert.ok(Number(received) >= 20, `received ${received} in 1.5 s at 20 Hz`);
    assert.equal(clients, "1", "getLiveData's client has disconnected");
  });

  test("re-running a cell that connects a named client replaces the old client instead of adding one", () => {
    const [first, second] = run.cells.slice(4);
    assert.equal(first!.stdout, "clients 2\n", first!.stderr);
    assert.equal(second!.stdout, "clients 2\n", second!.stderr);
  });

  test("shutting the kernel down is prompt, with a client still connected and the feed running", () => {
    assert.equal(run.aliveAfter15s, false);
    assert.ok(run.shutdownSeconds < 5, `the kernel took ${run.shutdownSeconds.toFixed(2)} s to exit`);
  });
});
