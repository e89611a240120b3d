// RedrawThrottle on a mocked clock: when the live view redraws. Its clock is the mocked Date (performance.now,
// its default, is not mocked); onDue stands for the view's redraw, which reports back with drew().
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { RedrawThrottle } from "../../src/live/redraw-throttle";
import { mockClock, type MockClock } from "../helpers/mock-clock";

let clock: MockClock;
beforeEach(() => {
  clock = mockClock(0);
});
afterEach(() => clock.restore());

/** A throttle whose redraws are recorded (times in ms) and reported back, as the live view's are. */
function throttled(maxPerSecond: number) {
  const redraws: number[] = [];
  const throttle: RedrawThrottle = new RedrawThrottle(
    maxPerSecond,
    () => {
      redraws.push(Date.now());
      throttle.drew();
    },
    () => Date.now(),
  );
  return { throttle, redraws };
}

test("pulses at 50 Hz for 10 s give 5 redraws a second, 200 ms apart, the first at once (0, 200 … 10,000 ms)", () => {
  const { throttle, redraws } = throttled(5);
  for (let t = 0; t < 10_000; t += 20) {
    throttle.wake(); // a pulse
    clock.tick(20);
  }
  assert.deepEqual(
    redraws,
    Array.from({ length: 51 }, (_, i) => i * 200),
  );
  throttle.cancel();
});

test("a pulse after a quiet period draws at once; one that comes sooner waits for the rest of the period, not a whole one", () => {
  const { throttle, redraws } = throttled(5);
  assert.equal(throttle.periodMs, 200);
  throttle.wake();
  clock.tick(0);
  assert.deepEqual(redraws, [0]);
  clock.tick(1000); // quiet
  assert.equal(throttle.waitMs(), 0);
  throttle.wake();
  clock.tick(0);
  assert.deepEqual(redraws, [0, 1000], "at once: the last redraw is more than a period old");
  clock.tick(50);
  throttle.wake(); // 50 ms after a redraw
  assert.equal(throttle.waitMs(), 150);
  clock.tick(149);
  assert.equal(redraws.length, 2);
  clock.tick(1);
  assert.deepEqual(redraws, [0, 1000, 1200]);
  assert.equal(throttle.sinceLastMs(), 0);
  throttle.cancel();
});

test("never more than one redraw planned: a burst of pulses while one is planned adds none", () => {
  const { throttle, redraws } = throttled(5);
  throttle.wake();
  clock.tick(10);
  for (let i = 0; i < 100; i++) throttle.wake(); // e.g. the backlog after a blocked cell, read in one go
  clock.tick(1000);
  assert.deepEqual(redraws, [0, 200], "one redraw for the burst, at the end of the period; none after it without a pulse");
  throttle.cancel();
});

test("a redraw that did not come from the throttle (the heartbeat, the last frame) also pushes the next one back", () => {
  const { throttle, redraws } = throttled(5);
  clock.tick(500);
  throttle.drew(); // drawn by someone else at 500
  throttle.wake();
  clock.tick(199);
  assert.deepEqual(redraws, []);
  clock.tick(1);
  assert.deepEqual(redraws, [700]);
  throttle.cancel();
});

test("cancel() drops the planned redraw, and the throttle works again after it", () => {
  const { throttle, redraws } = throttled(2);
  throttle.wake();
  clock.tick(0);
  throttle.wake(); // planned for 500
  throttle.cancel();
  throttle.cancel();
  clock.tick(5000);
  assert.deepEqual(redraws, [0]);
  throttle.wake();
  clock.tick(0);
  assert.deepEqual(redraws, [0, 5000]);
  throttle.cancel();
});
