/**
 * The wait before each reconnect attempt: 1 s after a drop, doubling after every failed attempt up to 8 s (a
 * broker that restarts is not hammered), and back to 1 s once connected (the next outage starts afresh).
 * mqtt.js waits `reconnectPeriod` ms after each close before it tries again; the client sets that from here.
 */
import { FIRST_RECONNECT_MS } from "./options";

/** Reconnect waits grow to at most this, in ms. */
export const MAX_RECONNECT_MS = 8000;

/**
 * The reconnect waits of one client. A first wait of 0 means "never reconnect" and stays 0.
 * @example
 * const backoff = new Backoff();
 * backoff.delayMs;     // 1000: the wait after a drop
 * backoff.attempted(); // 2000: that attempt failed, wait 2 s before the next (then 4000, 8000, 8000 …)
 * backoff.connected(); // 1000 again
 */
export class Backoff {
  private current: number;

  /**
   * @param firstMs the wait after a drop, in ms (default 1000)
   * @param maxMs the longest wait, in ms (default 8000)
   */
  constructor(
    readonly firstMs = FIRST_RECONNECT_MS,
    readonly maxMs = MAX_RECONNECT_MS,
  ) {
    this.current = firstMs;
  }

  /** The wait before the next attempt, in ms. */
  get delayMs(): number {
    return this.current;
  }

  /** An attempt starts: should it fail, the wait before the next one is twice as long (at most maxMs). */
  attempted(): number {
    this.current = Math.min(this.maxMs, this.current * 2);
    return this.current;
  }

  /** Connected: the next outage starts again at the first wait. */
  connected(): number {
    this.current = this.firstMs;
    return this.current;
  }
}
