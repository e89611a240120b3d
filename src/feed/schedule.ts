/**
 * The feed's clock: slots at a steady rate, drift-free (slot n is due at start + n / rate, however late the
 * timer fired for slot n − 1), and never caught up in a burst: a wake-up that comes too late sends the slot it
 * is in and counts the ones it passed over as skipped. A timer that fires early only waits again. The clock is
 * injectable (tests drive it with node:test's mock timers, which do not mock performance.now).
 */

/** What happened in the slots so far. */
export interface SlotCounts {
  /** Slots whose pulse went out. */
  readonly sent: number;
  /** Slots not sent: passed over by a late wake-up, or refused by `send` (broker away, socket busy). */
  readonly skipped: number;
}

/**
 * Slots at `rate` per second from the moment it is made (slots that are due before `run` starts are skipped).
 * @example
 * const schedule = new SlotSchedule(50);
 * schedule.run(() => {
 *   if (!client.connected) return false; // skipped: nothing queues
 *   client.publish(topic, payload);
 *   return true;
 * });
 * // … later
 * schedule.stop(); // schedule.sent + schedule.skipped ≈ 50 per second
 */
export class SlotSchedule implements SlotCounts {
  readonly periodMs: number;
  private readonly start: number;
  /** The first slot not handled yet. */
  private next = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private sentCount = 0;
  private skippedCount = 0;

  /**
   * @param rate slots per second (> 0)
   * @param now the clock, in ms (default performance.now)
   */
  constructor(
    readonly rate: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(rate > 0)) throw new RangeError(`invalid rate: ${rate} slots per second (expected a number > 0)`);
    this.periodMs = 1000 / rate;
    this.start = now();
  }

  get sent(): number {
    return this.sentCount;
  }

  get skipped(): number {
    return this.skippedCount;
  }

  /**
   * The timer woke: the slot we are in now, and how many slots were passed over since the last one handled;
   * undefined when no new slot is due yet (the timer fired early). Marks the slot handled.
   */
  wake(): { slot: number; missed: number } | undefined {
    const due = Math.floor((this.now() - this.start) / this.periodMs);
    if (due < this.next) return undefined;
    const missed = due - this.next;
    this.next = due + 1;
    return { slot: due, missed };
  }

  /** How long until the next slot is due, in ms: at least 1, so that an early timer never spins. */
  waitMs(): number {
    return Math.max(1, Math.ceil(this.start + this.next * this.periodMs - this.now()));
  }

  /**
   * Calls `send` once in each slot, from now until stop(): it returns whether the slot's pulse went out (false
   * when the broker is away or the socket busy: the slot is skipped, nothing is queued). Its timers never keep
   * a process alive.
   */
  run(send: (slot: number) => boolean): void {
    const tick = () => {
      const woke = this.wake();
      if (woke) {
        this.skippedCount += woke.missed; // we woke too late for these: skip, never burst
        if (send(woke.slot)) this.sentCount++;
        else this.skippedCount++;
      }
      if (!this.stopped) {
        this.timer = setTimeout(tick, this.waitMs());
        this.timer.unref();
      }
    };
    tick();
  }

  /** Stops the slots. Safe to call twice. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
