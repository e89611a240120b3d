// A network that goes silent (no reset, just nothing) is noticed by the keep-alive 1.5 × keepalive after the
// last packet: 22.5 s with the default of 15 s, 1.5 s with { keepalive: 1 }. On a mocked clock, through a relay
// on loopback that can go silent; the outage's reason and the missed-pulse estimate are tested in real time in
// faults.test.ts.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { startBroker, type EmbeddedBroker } from "../../src/mqtt/broker";
import { MQTTClient } from "../../src/mqtt/client";
import { KEEPALIVE_S } from "../../src/mqtt/options";
import { readSettings } from "../../src/mqtt/settings";
import { mockClock, type MockClock } from "../helpers/mock-clock";
import { relay, type Relay } from "../helpers/relay";
import { settle } from "../helpers/wait";

const settings = readSettings({});
let clock: MockClock | undefined;
let broker: EmbeddedBroker | undefined;
let wifi: Relay | undefined;
let client: MQTTClient | undefined;
afterEach(async () => {
  await client?.disconnect();
  await wifi?.close();
  await broker?.close();
  clock?.restore();
});

for (const [what, keepalive] of [
  [`the default keepalive (${KEEPALIVE_S} s)`, undefined],
  ["{ keepalive: 1 }", 1],
] as const) {
  test(`with ${what} a silent network is noticed 1.5 × keepalive after the last packet, not a ms sooner`, async () => {
    const time = (clock = mockClock());
    broker = await startBroker();
    wifi = await relay(broker.port);
    const c = (client = new MQTTClient(undefined, { url: wifi.url, settings, ...(keepalive ? { mqtt: { keepalive } } : {}) }));
    await c.connect();
    await settle("the subscription", () => broker!.connectedClients === 1);
    const wentSilent = Date.now(); // the mocked clock has not moved since the last packet
    wifi.silent = true;
    const limitMs = 1.5 * (keepalive ?? KEEPALIVE_S) * 1000;
    time.tick(limitMs - 1);
    await settle("a moment", () => true);
    assert.deepEqual([c.connected, c.outages.length], [true, 0], "still connected just before the limit");
    time.tick(1);
    await settle("the drop", () => c.outages.length === 1);
    const [outage] = c.outages;
    assert.equal(outage!.droppedAt - wentSilent, limitMs);
    assert.match(outage!.reason, /stopped answering \(no reply to keep-alive pings\)/);
  });
}
