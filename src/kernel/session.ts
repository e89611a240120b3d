/**
 * src/kernel/: what running inside a tslab (Jupyter) kernel needs — the registry of what runs on a notebook's
 * behalf (this file), interrupt and shutdown hooks (tslab-patch.ts: tslab has none), the cells as they run
 * (cells.ts), errors printed in one line (error-display.ts), and the displays outputs go to (display.ts). It may
 * import only the top-level cross-cutting files; every other folder may import it.
 *
 * This file: the clients that are connected and the sleeps that are pending, so that re-running a cell,
 * interrupting the kernel or shutting it down leaves nothing behind. An interrupt (■) while one of ours waits is
 * quiet: the waits end early and the cell goes on with what it has, so nothing it declared is lost. Plain scripts
 * are not affected: the kernel hooks are installed only inside a tslab kernel.
 */
import { cellEnded, cellScript, cellStarted, runningCell } from "./cells";
import { explainDiagnostic, installOneLineErrors } from "./error-display";
import { onTslabShutdown, watchCells } from "./tslab-patch";

/** Something that can be stopped: an MQTTClient, a live view. */
export interface Stoppable {
  readonly name: string | undefined;
  /** A client's counts: an interrupt says how many messages had arrived. */
  readonly stats?: { readonly received: number };
  disconnect(): Promise<void>;
}

const live = new Set<Stoppable>();
const named = new Map<string, Stoppable>();
const sleeps = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
const onShutdown = new Set<() => Promise<void> | void>();
/** The cell that an interrupt stopped: a sleep it starts afterwards ends it (a loop of sleeps must not go on). */
let stoppedCell: number | undefined;
let interrupts = 0;

/** Whether this code runs inside a tslab (Jupyter) kernel. */
export function inKernel(): boolean {
  return (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined;
}

/**
 * Registers a client that is connecting. A client with a name replaces (disconnects) an earlier client of the
 * same name: re-running the cell that makes it never leaves two behind.
 */
export async function register(client: Stoppable): Promise<void> {
  installKernelHooks();
  if (client.name !== undefined) {
    const previous = named.get(client.name);
    named.set(client.name, client);
    if (previous && previous !== client) await previous.disconnect();
  }
  live.add(client);
}

/** Forgets a client that has disconnected. */
export function unregister(client: Stoppable): void {
  live.delete(client);
  if (client.name !== undefined && named.get(client.name) === client) named.delete(client.name);
}

/** How many clients are connected or connecting right now. */
export function liveClients(): number {
  return live.size;
}

/**
 * Disconnects every client of this module (getLiveData's and PulseMonitor's too) and resolves with how many
 * there were. The built-in feed keeps running. In a notebook: put it in the cell that starts things, or run it
 * when output keeps coming from a client you no longer have a name for.
 * @example await closeAllClients(); // 2
 */
export async function closeAllClients(): Promise<number> {
  const clients = [...live];
  await Promise.all(clients.map((client) => client.disconnect()));
  return clients.length;
}

/** Thrown by a sleep() that a cell starts after it was interrupted: the cell stops there. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
}

/**
 * Waits, in a notebook cell: `await sleep(2000)`. Interrupting the kernel (■) ends every pending sleep at once,
 * early, and the cell goes on (getLiveData returns what it collected); a sleep that the interrupted cell starts
 * after that throws an InterruptedError, so that a loop of sleeps stops too.
 * @throws RangeError when `ms` is not a number ≥ 0.
 */
export function sleep(ms: number): Promise<void> {
  if (!(ms >= 0)) throw new RangeError(`invalid sleep: ${String(ms)} (expected a number of milliseconds ≥ 0, e.g. sleep(2000))`);
  installKernelHooks();
  const cell = runningCell();
  if (cell !== undefined && cell === stoppedCell) {
    return Promise.reject(new InterruptedError("stopped (■): this cell was interrupted, so it waits no more"));
  }
  return new Promise<void>((resolve) => {
    const entry = {
      timer: setTimeout(() => {
        sleeps.delete(entry);
        resolve();
      }, ms),
      resolve,
    };
    sleeps.add(entry);
  });
}

/** Adds something to do when the kernel shuts down, after the clients have stopped (e.g. stop the built-in feed). */
export function whenKernelShutsDown(action: () => Promise<void> | void): void {
  onShutdown.add(action);
}

/** How many interrupts there have been: a wait that sees it change was ended early. */
export function interruptCount(): number {
  return interrupts;
}

/** Whether anything of ours is waiting or running: then an interrupt is ours to handle, quietly. */
function busy(): boolean {
  return sleeps.size > 0 || live.size > 0;
}

/** The line an interrupt prints: "Stopped (■) after 12 messages: the cell goes on with what arrived." */
function stoppedLine(): string {
  const received = [...live].reduce((sum, client) => sum + (client.stats?.received ?? 0), 0);
  const clients = [...live].some((client) => client.stats !== undefined);
  return clients
    ? `Stopped (■) after ${received} message${received === 1 ? "" : "s"}: the cell goes on with what arrived.`
    : "Stopped (■).";
}

/**
 * What an interrupt does: pending sleeps end now (early, without an error) and every client disconnects, so the
 * cell that waited goes on with what it has. The built-in feed keeps running. Exported for tests; inside a
 * kernel it runs on SIGINT.
 */
export async function interrupt(): Promise<void> {
  interrupts++;
  for (const entry of sleeps) {
    clearTimeout(entry.timer);
    entry.resolve();
  }
  sleeps.clear();
  stoppedCell = runningCell();
  await closeAllClients();
}

/** What a kernel shutdown does: as an interrupt, then stop the built-in feed, so that no socket keeps the process. */
export async function shutdown(): Promise<void> {
  await interrupt();
  for (const action of onShutdown) await action();
}

const HOOKS = Symbol.for("learning-mqtt.kernel-hooks");

/**
 * Inside a tslab kernel only, once per process (even if the module is loaded twice):
 * - on interrupt (SIGINT): while one of ours waits or runs, stop the clients and end the sleeps quietly (one line,
 *   the cell goes on); otherwise let tslab stop the cell as it does (its listener, which we take over);
 * - on shutdown, stop everything (see tslab-patch.ts: tslab has no shutdown hook of its own);
 * - follow the cells (for the two above, and for errors that say where they happened); errors print as one line,
 *   and some compile errors get a line of explanation (error-display.ts).
 */
export function installKernelHooks(): void {
  const g = globalThis as { [HOOKS]?: boolean };
  if (g[HOOKS] || !inKernel()) return;
  g[HOOKS] = true;
  // Once the cell's synchronous code has run: tslab runs it with vm's breakOnSigint, which takes the SIGINT
  // listeners away meanwhile (and breaks off synchronous code by itself).
  setImmediate(() => {
    const tslabs = process.listeners("SIGINT");
    process.removeAllListeners("SIGINT");
    process.on("SIGINT", (signal) => {
      if (!busy()) {
        for (const listener of tslabs) listener(signal); // tslab rejects the cell's await: "Stopped (■)" in one line
        return;
      }
      console.log(stoppedLine()); // before the sleeps end, so that it comes before what the cell prints next
      interrupt().catch(() => {}); // stopping is best effort; each client reports its own trouble
    });
  });
  onTslabShutdown(() => {
    shutdown().catch(() => {});
  });
  watchCells({
    started: cellStarted,
    ended: cellEnded,
    script: cellScript,
    output: (stream, text) => (stream === "stderr" ? explainDiagnostic(text) : text),
  });
  installOneLineErrors();
}

installKernelHooks(); // when a notebook first imports learning-mqtt
