/**
 * When a live view redraws: at once when a pulse arrives and the last redraw is a period old, else one period
 * after the last redraw; never more than one redraw planned, so a fast stream never builds a backlog of frames.
 * The clock is injectable (tests drive it with node:test's mock timers).
 */
export class RedrawThrottle {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastAt: number;

  /**
   * @param maxPerSecond most redraws per second
   * @param onDue called when a planned redraw is due
   * @param now the clock, in ms (default performance.now)
   */
  constructor(
    readonly maxPerSecond: number,
    private readonly onDue: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.lastAt = now() - this.periodMs; // the first redraw may come at once
  }

  /** The shortest time between two redraws, in ms. */
  get periodMs(): number {
    return 1000 / this.maxPerSecond;
  }

  /** Something new to show: plans a redraw (now, or a period after the last one) unless one is planned. */
  wake(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onDue();
    }, this.waitMs());
  }

  /** Tells the throttle that a redraw happened just now (planned or not). */
  drew(): void {
    this.lastAt = this.now();
  }

  /** How long until the next redraw is allowed, in ms (0: now). */
  waitMs(): number {
    return Math.max(0, this.lastAt + this.periodMs - this.now());
  }

  /** Time since the last redraw, in ms. */
  sinceLastMs(): number {
    return this.now() - this.lastAt;
  }

  /** Drops a planned redraw. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
