/**
 * src/kernel/: what running inside a tslab (Jupyter) kernel needs — the registry of what runs on a notebook's
 * behalf (this file), interrupt and shutdown hooks (tslab-patch.ts: tslab has none), and the displays outputs go
 * to (display.ts). It may import only the top-level cross-cutting files; every other folder may import it.
 *
 * This file: the clients that are connected and the sleeps that are pending, so that re-running a cell,
 * interrupting the kernel or shutting it down leaves nothing behind. Plain scripts are not affected: the
 * kernel hooks are installed only inside a tslab kernel.
 */
import { onTslabShutdown } from "./tslab-patch";

/** Something that can be stopped: an MQTTClient, a live view. */
export interface Stoppable {
  readonly name: string | undefined;
  disconnect(): Promise<void>;
}

const live = new Set<Stoppable>();
const named = new Map<string, Stoppable>();
const sleeps = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();
const onShutdown = new Set<() => Promise<void> | void>();

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

/** Thrown into a pending sleep() when the kernel is interrupted. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
}

/**
 * Waits, in a notebook cell: `await sleep(2000)`. Interrupting the kernel (■) ends every pending sleep at once
 * with an InterruptedError, so that the code after it does not carry on in the background.
 */
export function sleep(ms: number): Promise<void> {
  installKernelHooks();
  return new Promise<void>((resolve, reject) => {
    const entry = {
      timer: setTimeout(() => {
        sleeps.delete(entry);
        resolve();
      }, ms),
      reject,
    };
    sleeps.add(entry);
  });
}

/** Adds something to do when the kernel shuts down, after the clients have stopped (e.g. stop the built-in feed). */
export function whenKernelShutsDown(action: () => Promise<void> | void): void {
  onShutdown.add(action);
}

/**
 * What an interrupt does: pending sleeps end with an InterruptedError and every client disconnects.
 * The built-in feed keeps running. Exported for tests; the kernel calls it on SIGINT.
 */
export async function interrupt(): Promise<void> {
  for (const entry of sleeps) {
    clearTimeout(entry.timer);
    entry.reject(new InterruptedError("interrupted"));
  }
  sleeps.clear();
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
 * - on interrupt (SIGINT; tslab has its own handler, so the kernel does not exit), stop the clients and sleeps;
 * - on shutdown, stop everything (see tslab-patch.ts: tslab has no shutdown hook of its own).
 */
export function installKernelHooks(): void {
  const g = globalThis as { [HOOKS]?: boolean };
  if (g[HOOKS] || !inKernel()) return;
  g[HOOKS] = true;
  // Added once the cell's synchronous code has run: tslab runs it with vm's breakOnSigint, which puts back
  // the SIGINT listeners it found when it ends, dropping one added meanwhile.
  setImmediate(() => {
    process.on("SIGINT", () => {
      interrupt().catch(() => {}); // stopping is best effort; each client reports its own trouble
    });
  });
  onTslabShutdown(() => {
    shutdown().catch(() => {});
  });
}
