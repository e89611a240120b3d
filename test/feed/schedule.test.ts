// The feed's clock on a mocked one: slots at start + n / rate to the millisecond, a late wake-up sends the slot
// it is in and counts the ones it passed over (no burst), an early timer only waits again, a refused slot is
// skipped and never sent later. `now` reads the mocked Date plus a lag that a test moves to make the timer
// fire late or early by the schedule's clock, as a blocked event loop or a coarse timer would.
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { SlotSchedule } from "../../src/feed/schedule";
import { mockClock, type MockClock } from "../helpers/mock-clock";

let clock: MockClock;
let lag = 0;
const now = () => Date.now() + lag;
beforeEach(() => {
  lag = 0;
  clock = mockClock(0);
});
afterEach(() => clock.restore());

/** Runs a schedule that sends every slot (unless `refuse` says no) and records when each went out. */
function run(rate: number, refuse: (slot: number) => boolean = () => false) {
  const schedule = new SlotSchedule(rate, now);
  const sent: Array<{ slot: number; at: number }> = [];
  const offered: number[] = [];
  schedule.run((slot) => {
    offered.push(slot);
    if (refuse(slot)) return false;
    sent.push({ slot, at: now() });
    return true;
  });
  return { schedule, sent, offered };
}

test("slot n goes out at start + n / rate: 51 slots in the first second at 50 Hz, the first at once", () => {
  const { schedule, sent } = run(50);
  clock.tick(1000);
  assert.deepEqual(
    sent.map((s) => s.at),
    Array.from({ length: 51 }, (_, n) => n * 20),
  );
  assert.deepEqual(
    sent.map((s) => s.slot),
    Array.from({ length: 51 }, (_, n) => n),
  );
  assert.deepEqual([schedule.sent, schedule.skipped], [51, 0]);
  schedule.stop();
});

test("a period that is not a whole number of ms does not drift: at 3 Hz slot n is at ⌈n × 333.3⌉ ms, also after 10 minutes", () => {
  const { schedule, sent } = run(3);
  clock.tick(600_000);
  assert.equal(sent.length, 1801);
  for (const n of [1, 2, 3, 4, 1799, 1800]) assert.equal(sent[n]!.at, Math.ceil((n * 1000) / 3), `slot ${n}`);
  assert.equal(schedule.skipped, 0);
  schedule.stop();
});

test("a late wake-up sends the slot it is in and skips the ones it passed over, without a burst, and stays on the grid", () => {
  const { schedule, sent, offered } = run(50);
  clock.tick(40); // slots 0, 1, 2
  lag = 105; // the event loop was blocked: the next timer fires 105 ms late by the schedule's clock
  clock.tick(20);
  assert.deepEqual(offered, [0, 1, 2, 8], "one slot at the late wake-up (the one it is in), not 3 … 8 in a burst");
  assert.deepEqual([schedule.sent, schedule.skipped], [4, 5], "slots 3 to 7 skipped");
  clock.tick(15); // slot 9 is due at 180 ms by the schedule's clock: 15 ms later
  assert.deepEqual(
    sent.slice(-2).map((s) => [s.slot, s.at]),
    [
      [8, 165],
      [9, 180],
    ],
  );
  schedule.stop();
});

test("a timer that fires early sends nothing and waits again for its slot; nothing is skipped", () => {
  const { schedule, sent } = run(50);
  clock.tick(20); // slots 0, 1
  lag = -5; // from here the timers fire 5 ms early by the schedule's clock
  clock.tick(20);
  assert.equal(sent.length, 2, "slot 2 is not due yet when the timer fires");
  clock.tick(4);
  assert.equal(sent.length, 2);
  clock.tick(1);
  assert.deepEqual(sent.at(-1), { slot: 2, at: 40 }, "sent when its time has come");
  assert.equal(schedule.skipped, 0);
  schedule.stop();
});

test("a slot refused (broker away, socket busy) is skipped, and the pulses are not sent later", () => {
  const { schedule, sent, offered } = run(50, (slot) => slot >= 10 && slot < 20);
  clock.tick(500);
  assert.deepEqual(
    offered,
    Array.from({ length: 26 }, (_, n) => n),
    "every slot offered once",
  );
  assert.deepEqual([schedule.sent, schedule.skipped], [16, 10]);
  assert.deepEqual(
    sent.slice(9, 12).map((s) => [s.slot, s.at]),
    [
      [9, 180],
      [20, 400],
      [21, 420],
    ],
    "after the gap, one slot at a time on the grid",
  );
  schedule.stop();
});

test("slots due before run() are skipped: the feed's clock starts before it has connected", () => {
  const schedule = new SlotSchedule(50, now);
  clock.tick(110); // connecting
  const offered: number[] = [];
  schedule.run((slot) => (offered.push(slot), true));
  clock.tick(10);
  assert.deepEqual(offered, [5, 6]);
  assert.deepEqual([schedule.sent, schedule.skipped], [2, 5]);
  schedule.stop();
});

test("stop() ends the slots, also from inside a slot, and is safe to call twice", () => {
  const { schedule, offered } = run(50);
  clock.tick(100);
  schedule.stop();
  schedule.stop();
  clock.tick(10_000);
  assert.equal(offered.length, 6);

  const inside = new SlotSchedule(50, now);
  let calls = 0;
  inside.run(() => (++calls === 3 && inside.stop(), true));
  clock.tick(10_000);
  assert.equal(calls, 3);
  assert.throws(() => new SlotSchedule(0, now), /^RangeError: invalid rate: 0 slots per second/);
});
