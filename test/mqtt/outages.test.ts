// OutageLog with explicit times (ms): what a client records when its connection drops and comes back, and the
// estimate of the messages it missed. No clock and no broker: the client hands it Date.now() values.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeOutage, OutageLog } from "../../src/mqtt/outages";
import { clockTime } from "../../src/text";

const T0 = Date.UTC(2026, 0, 12, 14, 3, 7, 512);

/** Messages at `rateHz` from `from` (ms after T0) up to and including `to`. */
function arrivals(log: OutageLog, rateHz: number, from: number, to: number): void {
  for (let t = from; t <= to; t += 1000 / rateHz) log.arrival(T0 + t);
}

describe("OutageLog", () => {
  test("a drop and a reconnect: when, for how long, how many attempts, and the messages missed at the rate seen before", () => {
    const log = new OutageLog();
    assert.deepEqual([log.count, log.down, log.list(T0)], [0, false, []]);
    arrivals(log, 20, 0, 1950); // 40 messages, 50 ms apart: the last at 1950
    log.dropped(T0 + 2000, "the broker closed the connection");
    assert.equal(log.down, true);
    log.attempt();
    log.attempt();
    log.reconnected(T0 + 3000);
    arrivals(log, 20, 3100, 4000);
    const [outage] = log.list(T0 + 4000);
    assert.deepEqual(outage, {
      droppedAt: T0 + 2000,
      reconnectedAt: T0 + 3000,
      downMs: 1000,
      attempts: 2,
      // 1950 → 3100 at 20/s: the messages of 2000, 2050 … 3050 did not come.
      missed: 22,
      rateHz: 20,
      reason: "the broker closed the connection",
    });
    assert.ok(Object.isFrozen(outage));
    assert.deepEqual([log.count, log.down], [1, false]);
  });

  test("while the connection is down, the outage lasts up to now and the missed count runs up with it", () => {
    const log = new OutageLog();
    arrivals(log, 50, 0, 980);
    log.dropped(T0 + 1000, "gone");
    const at = (ms: number) => log.list(T0 + ms)[0]!;
    assert.deepEqual([at(1000).downMs, at(1000).missed, at(1000).reconnectedAt], [0, 1, undefined]);
    assert.deepEqual([at(3000).downMs, at(3000).missed], [2000, 101]);
    // Connected again, but no message yet: the gap still runs up to now (no "−1" for a message not come).
    log.reconnected(T0 + 3500);
    assert.deepEqual([at(4000).downMs, at(4000).missed], [2500, 151]);
    log.arrival(T0 + 4000);
    assert.deepEqual([at(9000).downMs, at(9000).missed], [2500, 150], "fixed once the first message after the gap came");
  });

  test("with fewer than 3 messages before the drop there is no rate, so the missed count is unknown, and says so", () => {
    const log = new OutageLog();
    log.arrival(T0);
    log.arrival(T0 + 20);
    log.dropped(T0 + 100, "gone");
    log.reconnected(T0 + 1100);
    const [outage] = log.list(T0 + 2000);
    assert.deepEqual([outage!.rateHz, outage!.missed], [undefined, undefined]);
    assert.equal(
      describeOutage(outage!),
      `connection lost at ${clockTime(T0 + 100)} for 1.0 s (0 reconnect attempts), missed messages unknown (no rate seen before): gone`,
    );
  });

  test("a connection too short to measure keeps the rate from before; the gap before it ends at the next drop", () => {
    const log = new OutageLog();
    arrivals(log, 10, 0, 900); // 10 messages at 10/s
    log.dropped(T0 + 1000, "first");
    log.reconnected(T0 + 2000);
    log.dropped(T0 + 2500, "second"); // no message in between
    log.reconnected(T0 + 4000);
    log.arrival(T0 + 4200);
    const [first, second] = log.list(T0 + 5000);
    assert.equal(first!.rateHz, 10);
    assert.equal(first!.missed, 16, "900 → 2500 (the second drop) at 10/s");
    assert.equal(second!.rateHz, 10, "the rate measured before the first drop");
    assert.equal(second!.missed, 16, "2500 → 4200 at 10/s, less the message at 4200");
    assert.equal(log.count, 2);
  });

  test("the rate is measured afresh on each connection, over at most the last 3000 messages (60 s at 50/s)", () => {
    const log = new OutageLog();
    arrivals(log, 5, 0, 60_000); // slow at first
    arrivals(log, 50, 60_020, 120_000); // then 3000 messages at 50/s: the slow ones are no longer kept
    log.dropped(T0 + 120_010, "a");
    assert.equal(log.list(T0 + 120_010)[0]!.rateHz, 50);
    log.reconnected(T0 + 121_000);
    arrivals(log, 25, 121_000, 131_000);
    log.dropped(T0 + 131_010, "b");
    assert.equal(log.list(T0 + 131_010)[1]!.rateHz, 25, "only the arrivals since the reconnect");
  });

  test("keeps the newest 50 outages and counts them all", () => {
    const log = new OutageLog();
    for (let i = 0; i < 60; i++) {
      arrivals(log, 10, i * 10_000, i * 10_000 + 500);
      log.dropped(T0 + i * 10_000 + 1000, `drop ${i + 1}`);
      log.reconnected(T0 + i * 10_000 + 2000);
    }
    const kept = log.list(T0 + 700_000);
    assert.equal(log.count, 60);
    assert.equal(kept.length, 50);
    assert.deepEqual([kept[0]!.reason, kept.at(-1)!.reason], ["drop 11", "drop 60"]);
  });

  test("stopped(): an outage still open when the client stops ends there, for good", () => {
    const log = new OutageLog();
    arrivals(log, 20, 0, 950);
    log.dropped(T0 + 1000, "gone");
    log.stopped(T0 + 4000);
    log.stopped(T0 + 9000); // the first stop counts
    for (const later of [4000, 60_000]) {
      const [outage] = log.list(T0 + later);
      assert.deepEqual([outage!.downMs, outage!.missed, outage!.reconnectedAt], [3000, 61, undefined]);
    }
    assert.match(
      describeOutage(log.list()[0]!),
      /^connection lost at \d\d:\d\d:\d\d\.512 still down after 3\.0 s \(0 reconnect attempts\)/,
    );
  });

  test("events out of turn are ignored: a second drop while down, an attempt or a reconnect while up", () => {
    const log = new OutageLog();
    log.attempt();
    log.reconnected(T0);
    arrivals(log, 20, 0, 950);
    log.dropped(T0 + 1000, "first");
    log.dropped(T0 + 1500, "again");
    log.attempt();
    log.reconnected(T0 + 2000);
    log.reconnected(T0 + 2500);
    log.attempt();
    const list = log.list(T0 + 3000);
    assert.deepEqual(
      list.map((o) => [o.reason, o.downMs, o.attempts]),
      [["first", 1000, 1]],
    );
  });

  test("describeOutage gives one line: when (local time), how long, attempts, missed at what rate, and why", () => {
    const log = new OutageLog();
    arrivals(log, 50, 0, 2980);
    log.dropped(T0 + 3000, "mqtt://127.0.0.1:1883 closed the connection");
    for (let i = 0; i < 4; i++) log.attempt();
    log.reconnected(T0 + 6200);
    log.arrival(T0 + 6200);
    assert.equal(
      describeOutage(log.list()[0]!),
      `connection lost at ${clockTime(T0 + 3000)} for 3.2 s (4 reconnect attempts), about 160 messages missed at 50.0/s: mqtt://127.0.0.1:1883 closed the connection`,
    );
    log.dropped(T0 + 7000, "x");
    log.attempt();
    log.reconnected(T0 + 8000);
    log.arrival(T0 + 8000);
    // One message on that short connection: the rate from before, the gap from it (6200) to the next (8000).
    assert.match(describeOutage(log.list()[1]!), / \(1 reconnect attempt\), about 89 messages missed at 50\.0\/s: x$/);
  });
});
