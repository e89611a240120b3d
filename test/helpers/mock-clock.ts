import { mock } from "node:test";

/** A clock that only moves when a test moves it: node:test's mock timers, with intervals that can be cleared. */
export interface MockClock {
  /** Moves the clock on by `ms` (whole ms), running every timer that falls due on the way at its own time. */
  tick(ms: number): void;
  /** Puts the real timers back. Clear what was made under the mock first: a mock timer means nothing after. */
  restore(): void;
}

/**
 * Mocks setTimeout, setInterval and Date (not performance.now, nor setImmediate: real I/O still turns the loop).
 * Node 20's mocked setInterval keeps firing after a clearInterval from its own callback (nodejs/node#59483,
 * fixed in later Node versions), and mqtt.js's reconnect timer does exactly that; so intervals here are
 * chains of mocked timeouts, which clear as real ones do. And its tick(ms) sets Date to the end first, so that
 * a timer set by a callback on the way would start from there: tick() here steps 1 ms at a time.
 * @example
 * const clock = mockClock();
 * setTimeout(() => console.log("due"), 1000);
 * clock.tick(1000); // "due"
 * clock.restore();
 */
export function mockClock(now = Date.now()): MockClock {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now });
  const real = { setInterval: globalThis.setInterval, clearInterval: globalThis.clearInterval };
  const intervals = new WeakSet<object>();
  interface Interval {
    timer: ReturnType<typeof setTimeout> | undefined;
    cleared: boolean;
    ref(): Interval;
    unref(): Interval;
    hasRef(): boolean;
  }
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const interval: Interval = {
      timer: undefined,
      cleared: false,
      ref: () => interval,
      unref: () => interval,
      hasRef: () => true,
    };
    const arm = () => {
      interval.timer = setTimeout(() => {
        arm(); // first, so that a clearInterval in the callback cancels the next run
        callback(...args);
      }, ms);
    };
    arm();
    intervals.add(interval);
    return interval;
  }) as unknown as typeof setInterval;
  globalThis.clearInterval = ((interval: unknown) => {
    if (typeof interval === "object" && interval !== null && intervals.has(interval)) {
      (interval as Interval).cleared = true;
      clearTimeout((interval as Interval).timer);
    } else real.clearInterval(interval as Parameters<typeof clearInterval>[0]);
  }) as typeof clearInterval;
  return {
    tick: (ms) => {
      mock.timers.tick(0); // what is due now (a setTimeout of 0 ms)
      for (let i = 0; i < ms; i++) mock.timers.tick(1);
    },
    restore: () => {
      Object.assign(globalThis, real);
      mock.timers.reset();
    },
  };
}
