import { setImmediate as nextTurn } from "node:timers/promises";

/** Polls until `check` is true, or fails after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Lets real I/O happen (sockets, a broker in this process) until `check` is true, while node:test's mock
 * timers hold setTimeout and Date still: it turns the event loop with setImmediate, which they do not mock, and
 * gives up after `timeoutMs` of real time (performance.now, not mocked either). Then a few more turns, so that
 * what follows the awaited event in the same burst of I/O (an error's "close") has happened too.
 */
export async function settle(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms (real time) waiting for ${what}`);
    await nextTurn();
  }
  for (let i = 0; i < 5; i++) await nextTurn();
}

/** A promise followed as it runs: whether it has settled yet, and with what. */
export interface Tracked<T> {
  readonly settled: boolean;
  readonly value: T | undefined;
  /** What it rejected with (undefined while pending or when it resolved). */
  readonly error: unknown;
  /** The promise itself, to await. */
  readonly promise: Promise<T>;
}

/** Follows `promise`, so that a test can ask whether it has settled without waiting for it. */
export function track<T>(promise: Promise<T>): Tracked<T> {
  const state = { settled: false, value: undefined as T | undefined, error: undefined as unknown, promise };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}
