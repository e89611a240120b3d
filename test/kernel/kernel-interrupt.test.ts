// A real notebook kernel (the project's learning-mqtt kernelspec, tslab), driven by jupyter_client from Debian's
// Python as Jupyter does: interrupting a cell that waits on MQTT stops it and its client at once and quietly
// (the cell goes on with what arrived, so what it declares is kept), re-running cells leaves no old clients
// behind, and shutting the kernel down is prompt even with a client still connected and the built-in feed running.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { prepareKernel, runKernel, type Run } from "../helpers/kernel";

describe("a notebook kernel with MQTT clients", () => {
  let run: Run;
  before(async () => {
    prepareKernel();
    run = await runKernel([
      'import { startBuiltInFeed, getLiveData, MQTTClient, sleep } from "learning-mqtt";\n' +
        "const feed = await startBuiltInFeed({ rate: 20 });\n" +
        'console.log("pid", process.pid, "clients", feed.broker.connectedClients);',
      ['const data = await getLiveData(undefined, 60, { keep: 2 });\nconsole.log("received", data.received);', 2],
      'await sleep(300);\nconsole.log("clients", feed.broker.connectedClients, "data", data.pulses.length, "pulses kept, listened", data.seconds, "s");',
      // The broker runs on a thread of its own: it sees getLiveData's client go a moment after the cell's await ends.
      'const again = await getLiveData(undefined, 1.5, { keep: 2 });\nfor (let i = 0; i < 100 && feed.broker.connectedClients > 1; i++) await sleep(20);\nconsole.log("received", again.received, "clients", feed.broker.connectedClients);',
      'const printer = new MQTTClient(undefined, { name: "printer" });\nawait printer.connect();\nawait sleep(300);\nconsole.log("clients", feed.broker.connectedClients);',
      'const printer = new MQTTClient(undefined, { name: "printer" });\nawait printer.connect();\nawait sleep(300);\nconsole.log("clients", feed.broker.connectedClients);',
    ]);
  });

  test("the kernel starts the built-in feed", () => {
    const [setup] = run.cells;
    assert.equal(setup!.status, "ok", setup!.stderr);
    assert.match(setup!.stdout, /^pid \d+ clients 1$/m);
  });

  // That the interrupt ends it at once (no timer in between) is tested in-process on a mocked clock
  // (test/mqtt/faults.test.ts, "an interrupt ends …"); here: the kernel's SIGINT reaches it, and it is quiet.
  test("interrupting a cell that awaits a 60 s getLiveData ends it quietly, with what arrived", () => {
    const interrupted = run.cells[1]!;
    // The driver gives up after 30 s (status "timeout"): "ok" means the interrupt ended the 60 s wait.
    assert.equal(interrupted.status, "ok", interrupted.stderr);
    assert.ok(interrupted.afterInterrupt !== null, "the interrupt was sent");
    assert.equal(interrupted.stderr, "", "no stack trace, no error");
    assert.match(interrupted.stdout, /^Stopped \(■\) after \d+ messages?: the cell goes on with what arrived\.\nreceived (\d+)\n$/);
  });

  test("the interrupted cell's client is closed, and what the cell declared is still there", () => {
    const check = run.cells[2]!;
    assert.equal(check.status, "ok", check.stderr);
    assert.match(check.stdout, /^clients 1 data [1-9]\d* pulses kept, listened [\d.]+ s\n$/);
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
