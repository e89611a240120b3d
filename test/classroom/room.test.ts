// The room's bookkeeping with an injected clock and made-up broker counters: rates, the link's state, bounded lists.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { BrokerClient } from "../../src/mqtt/broker";
import { parseLink, Room } from "../../src/classroom/room";
import { FEED_USER } from "../../src/classroom/rules";

const client = (over: Partial<BrokerClient>): BrokerClient => ({
  clientId: "student01-a",
  username: "student01",
  connectedAt: 0,
  subscriptions: ["ac_phys/workxp/#"],
  messagesOut: 0,
  bytesOut: 0,
  bytesIn: 0,
  ...over,
});

describe("the room", () => {
  test("a link capacity is read as bits and kept as bytes per second", () => {
    assert.equal(parseLink("100mbit"), 12.5e6);
    assert.equal(parseLink("1Gbit/s"), 125e6);
    assert.equal(parseLink("54 mbit"), 6.75e6);
    assert.throws(() => parseLink("fast"), /invalid --link: fast \(expected e.g. 100mbit/);
  });

  test("rates are the change between samples, per student; the feed's own connection is not a student", () => {
    let now = 10_000;
    let clients = [client({ bytesOut: 0 }), client({ clientId: "isis-feed-x", username: FEED_USER })];
    const room = new Room(
      () => clients,
      () => ({ rate: 1, compactRate: 50, scenario: "nominal", published: 3, skipped: 0 }),
      1e6,
      () => now,
    );
    room.sample();
    clients = [client({ bytesOut: 2_000_000, messagesOut: 2 }), clients[1]!];
    now += 2000;
    room.sample();
    const s = room.snapshot();
    assert.equal(s.students.length, 1);
    assert.equal(s.students[0]!.bytesPerS, 1_000_000);
    assert.equal(s.students[0]!.messagesPerS, 1);
    assert.equal(s.bytesOutPerS, 1_000_000);
    assert.equal(s.linkState, "saturated");
    assert.deepEqual(s.feed, { rateHz: 1, compactRateHz: 50, scenario: "nominal", published: 3, skipped: 0 });
  });

  test("the link warns above 70 % and calls it saturated above 95 %", () => {
    let now = 0;
    let bytes = 0;
    const room = new Room(
      () => [client({ bytesOut: bytes })],
      () => ({ rate: 1, compactRate: 50, scenario: "nominal", published: 0, skipped: 0 }),
      1000,
      () => now,
    );
    const at = (bytesPerS: number) => {
      room.sample();
      now += 1000;
      bytes += bytesPerS;
      room.sample();
      return room.snapshot().linkState;
    };
    assert.equal(at(600), "ok");
    assert.equal(at(800), "warning");
    assert.equal(at(990), "saturated");
  });

  test("drops, alarms and refusals are kept, newest last, and bounded", () => {
    const room = new Room(
      () => [],
      () => ({ rate: 1, compactRate: 50, scenario: "nominal", published: 0, skipped: 0 }),
      1e6,
      () => 5000,
    );
    for (let i = 0; i < 500; i++) room.events.published!(client({}), "workxp/students/student01/alarms", Buffer.from(`alarm ${i}`));
    room.events.published!(client({ username: FEED_USER }), "ac_phys/workxp/live_signals", Buffer.alloc(10));
    room.events.disconnected!(client({ connectedAt: 1000 }), 13_000);
    room.events.refused!("student02-b", "student02", "the classroom broker lets student02 publish only under …");
    const s = room.snapshot();
    assert.equal(s.alarms.length, 200);
    assert.equal(s.alarms.at(-1)!.text, "alarm 499");
    assert.equal(s.drops[0]!.text, "connected for 12 s");
    assert.equal(s.refusals[0]!.user, "student02");
  });

  test("an alarm's text is cut to 200 bytes", () => {
    const room = new Room(
      () => [],
      () => ({ rate: 1, compactRate: 50, scenario: "nominal", published: 0, skipped: 0 }),
      1e6,
    );
    room.events.published!(client({}), "workxp/students/student01/chat", Buffer.alloc(100_000, "a"));
    assert.equal(room.snapshot().alarms[0]!.text.length, 200);
  });
});
