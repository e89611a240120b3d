// Quality of service, retained messages, last wills and kept sessions, as the lessons show them: through the
// embedded broker and a real Mosquitto, with a relay between a client and the broker to break the connection.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { startBroker } from "../../src/mqtt/broker";
import { MQTTClient, type Message } from "../../src/mqtt/client";
import { checkQos } from "../../src/mqtt/delivery";
import { newClientId } from "../../src/mqtt/client-id";
import { startRelay, type Relay } from "../../src/mqtt/relay";
import { readSettings } from "../../src/mqtt/settings";
import { ConnectionError } from "../../src/errors";
import { closeAllClients } from "../../src/kernel/session";
import { Mosquitto } from "../helpers/mosquitto";
import { waitFor } from "../helpers/wait";

const settings = readSettings({});
// A test that fails half-way leaves its clients connected, reconnecting for ever once the broker is gone: the
// file would never end. Every client of ours is registered, so this stops them all.
after(() => closeAllClients());

/** A client that keeps every message it receives. */
class Recorder extends MQTTClient {
  readonly got: Message[] = [];
  override onMessage(message: Message): void {
    this.got.push(message);
  }
  texts(): string[] {
    return this.got.map((m) => m.payload.toString());
  }
}

/** A client that only publishes: it subscribes to nothing. */
class Sender extends MQTTClient {
  override onConnect(): void {}
}

type Broker = { url: string; close(): Promise<void> };

for (const [name, start] of [
  ["the embedded broker", () => startBroker()],
  ["a real Mosquitto", () => Mosquitto.start()],
] as const) {
  describe(`through ${name}`, () => {
    let broker: Broker;
    let n = 0;
    const topic = () => `test/delivery/${++n}/${newClientId("t")}`;
    before(async () => {
      broker = await start();
    });
    after(() => broker.close());

    test("each QoS costs its packets: QoS 0 one PUBLISH, QoS 1 a PUBACK back, QoS 2 PUBREC, PUBREL, PUBCOMP", async () => {
      const t = topic();
      const costs = [];
      for (const qos of [0, 1, 2] as const) {
        const client = await new Sender(t, { url: broker.url, settings }).connect();
        const before = client.packets;
        await client.publish(t, "one message", { qos });
        const after = client.packets;
        await client.disconnect();
        costs.push({ sent: delta(before.sent, after.sent), received: delta(before.received, after.received) });
      }
      assert.deepEqual(costs, [
        { sent: { publish: 1 }, received: {} },
        { sent: { publish: 1 }, received: { puback: 1 } },
        { sent: { publish: 1, pubrel: 1 }, received: { pubrec: 1, pubcomp: 1 } },
      ]);
    });

    test("a message arrives at the lower of the publisher's and the subscription's QoS", async () => {
      const t = topic();
      const receiver = await new Recorder(t, { url: broker.url, settings, qos: 1 }).connect();
      await waitFor("the subscription", () => receiver.packets.received.suback === 1);
      const sender = await new Sender(t, { url: broker.url, settings }).connect();
      for (const qos of [0, 1, 2] as const) await sender.publish(t, `qos ${qos}`, { qos });
      await waitFor("three messages", () => receiver.got.length === 3);
      await sender.disconnect();
      await receiver.disconnect();
      assert.deepEqual(
        receiver.got.map((m) => m.qos),
        [0, 1, 1],
      );
    });

    describe("with the sender's connection through a relay", () => {
      let relay: Relay;
      before(async () => {
        relay = await startRelay({ to: broker.url });
      });
      after(() => relay.close());
      afterEach(() => relay.restore()); // a failed test leaves no cut behind for the next

      test("cut both ways: QoS 0 sent meanwhile is gone, QoS 1 and 2 are sent again after the cut and arrive once", async () => {
        const t = topic();
        const receiver = await new Recorder(t, { url: broker.url, settings, qos: 2 }).connect();
        await waitFor("the subscription", () => receiver.packets.received.suback === 1);
        const sender = await new Sender(t, { url: relay.url, settings }).connect();
        relay.cut();
        const sending = ([0, 1, 2] as const).map((qos) => sender.publish(t, `qos ${qos}`, { qos }));
        await sending[0]; // QoS 0 is "done" once written: nobody acknowledges it
        await waitFor("the cut to swallow the messages", () => relay.droppedBytes > 0);
        assert.equal(receiver.got.length, 0);
        relay.restore(); // the sender's broken connection is closed: it reconnects and sends what was not acknowledged
        await Promise.all(sending);
        await waitFor("the resent messages", () => receiver.got.length >= 2);
        await sender.disconnect();
        await receiver.disconnect();
        assert.deepEqual(receiver.texts().sort(), ["qos 1", "qos 2"]);
        assert.equal(sender.stats.connects, 2);
      });

      test("acknowledgements lost: QoS 1 arrives twice; QoS 2, with a kept session, exactly once", async () => {
        const t = topic();
        const receiver = await new Recorder(t, { url: broker.url, settings, qos: 2 }).connect();
        await waitFor("the subscription", () => receiver.packets.received.suback === 1);
        const id = newClientId("sender");
        const sender = await new Sender(t, { url: relay.url, settings, clientId: id, clean: false }).connect();
        relay.cut("to-client");
        const sending = ([1, 2] as const).map((qos) => sender.publish(t, `qos ${qos}`, { qos }));
        // The broker passes QoS 1 on at once; QoS 2 at once (aedes) or only after PUBREL (Mosquitto), which waits for the cut.
        await waitFor("the first copy of the QoS 1 message", () => receiver.texts().includes("qos 1"));
        relay.restore();
        await Promise.all(sending);
        await waitFor("the second copy of the QoS 1 message", () => receiver.texts().filter((x) => x === "qos 1").length === 2);
        await sender.disconnect();
        await forget(broker.url, id);
        // Anything still to come arrives before a marker sent afterwards on the same path.
        await sendAndAwait(broker.url, receiver, t);
        await receiver.disconnect();
        assert.deepEqual(receiver.texts().sort(), ["marker", "qos 1", "qos 1", "qos 2"]);
      });

      test("a connection killed without a goodbye makes the broker publish the will; a clean disconnect does not", async () => {
        const t = topic();
        const watcher = await new Recorder(t, { url: broker.url, settings, qos: 1 }).connect();
        await waitFor("the subscription", () => watcher.packets.received.suback === 1);
        const will = { topic: t, payload: "monitor offline (connection lost)", qos: 1 as const };
        const polite = await new Sender(t, { url: relay.url, settings, will }).connect();
        await polite.disconnect();
        await sendAndAwait(broker.url, watcher, t);
        assert.deepEqual(watcher.texts(), ["marker"], "no will after a clean disconnect");

        const monitor = await new Sender(t, { url: relay.url, settings, will }).connect();
        relay.drop();
        await waitFor("the will", () => watcher.texts().includes("monitor offline (connection lost)"));
        await monitor.disconnect();
        await watcher.disconnect();
      });
    });

    test("a retained message reaches a late subscriber at once, marked retained; an empty retained message clears it", async () => {
      const t = topic();
      const sender = await new Sender(t, { url: broker.url, settings }).connect();
      await sender.publish(t, "beam monitor: online", { qos: 1, retain: true });
      const late = await new Recorder(t, { url: broker.url, settings }).connect();
      await waitFor("the retained message", () => late.got.length === 1);
      await late.disconnect();
      assert.equal(late.got[0]!.retain, true);
      assert.equal(late.texts()[0], "beam monitor: online");

      await sender.publish(t, "", { qos: 1, retain: true });
      const later = await new Recorder(t, { url: broker.url, settings }).connect();
      await sendAndAwait(broker.url, later, t);
      await later.disconnect();
      await sender.disconnect();
      assert.deepEqual(later.texts(), ["marker"], "nothing retained any more");
    });

    test("a kept session (clean: false): QoS 1 messages sent while the client was away arrive when it returns, QoS 0 ones do not", async () => {
      const t = topic();
      const id = newClientId("away");
      const away = new Recorder(t, { url: broker.url, settings, clientId: id, clean: false, qos: 1 });
      await away.connect();
      await waitFor("the subscription", () => away.packets.received.suback === 1);
      assert.equal(away.sessionPresent, false, "a new session");
      await away.disconnect();
      const sender = await new Sender(t, { url: broker.url, settings }).connect();
      await sender.publish(t, "qos 0 while away", { qos: 0 });
      await sender.publish(t, "qos 1 while away", { qos: 1 });
      await away.connect();
      assert.equal(away.sessionPresent, true, "the broker kept the session");
      await sendAndAwait(broker.url, away, t);
      await away.disconnect();
      await sender.disconnect();
      await forget(broker.url, id);
      assert.deepEqual(away.texts(), ["qos 1 while away", "marker"]);
    });
  });
}

describe("checks", () => {
  test("a wrong QoS gets one line", async () => {
    assert.throws(() => checkQos(3), /^RangeError: invalid qos: 3 \(expected 0, 1 or 2\)$/);
    const broker = await startBroker();
    const client = await new Sender("a", { url: broker.url, settings }).connect();
    await assert.rejects(client.publish("a", "x", { qos: 5 as 0 }), /invalid qos: 5/);
    await client.disconnect();
    await broker.close();
  });

  test("publishing at QoS 1 while the connection is down is refused, not queued", async () => {
    const broker = await startBroker();
    const relay = await startRelay({ to: broker.url });
    const client = await new Sender("a", { url: relay.url, settings }).connect();
    await relay.close(); // the broker is out of reach now: the client keeps trying
    await waitFor("the drop", () => !client.connected);
    await assert.rejects(
      client.publish("a", "x", { qos: 1 }),
      (e: unknown) => e instanceof ConnectionError && /cannot publish to a: not connected/.test(e.message),
    );
    await client.disconnect();
    await broker.close();
  });

  test(
    "disconnect() returns on a network gone silent, even with an acknowledgement still due (and the client stays closed)",
    { timeout: 10_000 },
    async () => {
      const broker = await startBroker();
      const relay = await startRelay({ to: broker.url });
      const client = await new Sender("a", { url: relay.url, settings }).connect();
      relay.cut();
      const unanswered = client.publish("a", "into the void", { qos: 1 }).catch((e: unknown) => e);
      await client.disconnect(); // mqtt.js alone waits for the PUBACK, then for the socket, for ever
      await relay.close();
      assert.equal(client.connected, false);
      assert.equal(client.stats.connects, 1);
      await broker.close();
      void unanswered;
    },
  );

  test("a relay refuses a direction it does not know", async () => {
    const broker = await startBroker();
    const relay = await startRelay({ to: broker.url });
    assert.throws(() => relay.cut("sideways" as "both"), /invalid direction: "sideways"/);
    assert.equal(relay.state, "open");
    await relay.close();
    await relay.close(); // twice is fine
    await broker.close();
  });
});

/** What grew between two packet counts. */
function delta(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [kind, count] of Object.entries(after)) if (count !== (before[kind] ?? 0)) out[kind] = count - (before[kind] ?? 0);
  return out;
}

/** Publishes "marker" on `topic` (QoS 1) and waits until `receiver` has it: whatever was due earlier has arrived by then. */
async function sendAndAwait(url: string, receiver: Recorder, topic: string): Promise<void> {
  const sender = await new MQTTClient(topic, { url, settings }).connect();
  await sender.publish(topic, "marker", { qos: 1 });
  await waitFor("the marker", () => receiver.texts().includes("marker"));
  await sender.disconnect();
}

/** Ends a kept session: connecting once with clean: true makes the broker drop it. */
async function forget(url: string, clientId: string): Promise<void> {
  const client = await new MQTTClient("a", { url, settings, clientId }).connect();
  await client.disconnect();
}
