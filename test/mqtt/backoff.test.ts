// The reconnect waits: 1 s, 2 s, 4 s, 8 s, 8 s … after a drop, back to 1 s once connected. First as arithmetic,
// then through a real MQTTClient (mqtt.js, an embedded broker, real sockets) with node:test's mock timers
// standing in for the clock, so that the attempts are counted at exact times and no test waits for seconds.
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { Backoff, MAX_RECONNECT_MS } from "../../src/mqtt/backoff";
import { startBroker, type EmbeddedBroker } from "../../src/mqtt/broker";
import { MQTTClient } from "../../src/mqtt/client";
import { FIRST_RECONNECT_MS } from "../../src/mqtt/options";
import { readSettings } from "../../src/mqtt/settings";
import { mockClock, type MockClock } from "../helpers/mock-clock";
import { settle } from "../helpers/wait";

describe("Backoff", () => {
  test("waits 1 s after a drop, doubles after each failed attempt up to 8 s, and starts again at 1 s once connected", () => {
    const backoff = new Backoff();
    assert.equal(backoff.delayMs, FIRST_RECONNECT_MS);
    assert.deepEqual(
      Array.from({ length: 6 }, () => backoff.attempted()),
      [2000, 4000, 8000, 8000, 8000, 8000],
    );
    assert.equal(MAX_RECONNECT_MS, 8000);
    assert.equal(backoff.connected(), 1000);
    assert.equal(backoff.delayMs, 1000);
    assert.equal(backoff.attempted(), 2000, "the next outage doubles from 1 s again, not from 8 s");
  });

  test("a first wait of its own (mqtt: { reconnectPeriod }) doubles the same way; one above the cap falls to it; 0 stays 0", () => {
    const quick = new Backoff(250);
    assert.deepEqual(
      [quick.delayMs, quick.attempted(), quick.attempted(), quick.attempted(), quick.attempted(), quick.attempted(), quick.attempted()],
      [250, 500, 1000, 2000, 4000, 8000, 8000],
    );
    assert.equal(quick.connected(), 250);
    const slow = new Backoff(20_000);
    assert.deepEqual([slow.delayMs, slow.attempted(), slow.connected()], [20_000, 8000, 20_000]);
    const never = new Backoff(0); // reconnectPeriod 0: mqtt.js never reconnects
    assert.deepEqual([never.attempted(), never.attempted(), never.connected()], [0, 0, 0]);
  });
});

describe("an MQTTClient's reconnect attempts, on a mocked clock", () => {
  const settings = readSettings({});
  let broker: EmbeddedBroker | undefined;
  let client: MQTTClient | undefined;
  let clock: MockClock | undefined;
  afterEach(async () => {
    await client?.disconnect();
    await broker?.close();
    clock?.restore(); // last: a timer made under the mock must be cleared under it too
  });

  test("come 1, 2, 4, 8 and 8 s apart while the broker is away, and 1 s after the next drop", async () => {
    // First: the broker's and the client's timers must all be mock ones (a real one would outlive the test).
    const time = (clock = mockClock());
    broker = await startBroker();
    const port = broker.port;
    client = await new MQTTClient(undefined, { url: broker.url, settings }).connect();
    const c = client;
    const attempts = () => c.outages.at(-1)?.attempts;
    /** Moves the mocked clock on by `ms`, then lets the attempt that may have started fail or succeed. */
    const advance = async (ms: number) => {
      const last = c.errors.at(-1);
      const before = attempts();
      time.tick(ms);
      if (attempts() !== before) await settle("the attempt to end", () => c.connected || c.errors.at(-1) !== last);
    };

    await broker.close();
    await settle("the drop", () => c.outages.length === 1);
    // Attempt n comes waits[n − 1] ms after the one before: check that it does not come 1 ms earlier.
    for (const [n, wait] of [1000, 2000, 4000, 8000, 8000].entries()) {
      await advance(wait - 1);
      assert.equal(attempts(), n, `attempt ${n + 1} not yet, ${wait - 1} ms after the one before`);
      if (n === 4) broker = await startBroker({ port }); // back before the fifth attempt
      await advance(1);
      assert.equal(attempts(), n + 1, `attempt ${n + 1} ${wait} ms after the one before`);
    }
    await settle("the reconnect", () => c.connected);
    const [long] = c.outages;
    assert.equal(long!.attempts, 5);
    assert.equal(long!.downMs, 1000 + 2000 + 4000 + 8000 + 8000, "connected at the fifth attempt, 23 s after the drop");
    assert.match(c.errors.join("\n"), /nothing is listening at mqtt:\/\/127\.0\.0\.1:\d+.* \(×4\)$/m, "four attempts were refused");

    // Connected, the waits start again at 1 s: a blip is over 1 s after the drop, not 8 s.
    await broker.close();
    await settle("the second drop", () => c.outages.length === 2);
    broker = await startBroker({ port });
    await advance(999);
    assert.equal(attempts(), 0);
    await advance(1);
    assert.equal(attempts(), 1, "the first attempt 1 s after the second drop");
    await settle("the second reconnect", () => c.connected);
    assert.deepEqual(
      c.outages.map((o) => [o.attempts, o.downMs]),
      [
        [5, 23_000],
        [1, 1000],
      ],
    );
    assert.equal(c.stats.connects, 3);
  });
});
