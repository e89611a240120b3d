import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { analysePulse } from "../../src/beam/analysis";
import { startBroker, type EmbeddedBroker } from "../../src/mqtt/broker";
import { MQTTClient, type Message } from "../../src/mqtt/client";
import { decodePulse, encodePulse, type Pulse } from "../../src/beam/decode";
import { ConnectionError } from "../../src/errors";
import { startFeed } from "../../src/feed/feed";
import { getLiveData, newestPulse, nextMessage } from "../../src/live/live-data";
import { NoDataError } from "../../src/errors";
import { startBuiltInFeed, stopBuiltInFeed } from "../../src/feed/built-in";
import { DEFAULT_TOPIC, readSettings } from "../../src/mqtt/settings";
import { BeamSimulator } from "../../src/beam/simulator";
import { freePort, Mosquitto } from "../helpers/mosquitto";
import { mockClock } from "../helpers/mock-clock";
import { settle, track, waitFor } from "../helpers/wait";

const settings = readSettings({});

/** A client that decodes every message and keeps the pulses, as a lesson's subclass would. */
class Collector extends MQTTClient {
  readonly pulses: Pulse[] = [];
  readonly topics: string[] = [];
  readonly events: string[] = [];
  override onConnect(): void {
    this.events.push("connect");
    super.onConnect();
  }
  override onDisconnect(): void {
    this.events.push("disconnect");
  }
  override onPublish(topic: string): void {
    this.events.push(`publish ${topic}`);
  }
  override onMessage(message: Message): void {
    this.topics.push(message.topic);
    this.pulses.push(decodePulse(message.payload));
  }
}

type Broker = { url: string; restart(): Promise<void>; close(): Promise<void> };

async function embedded(): Promise<Broker> {
  let broker: EmbeddedBroker = await startBroker();
  const port = broker.port;
  return {
    url: broker.url,
    async restart() {
      await broker.close();
      broker = await startBroker({ port });
    },
    close: () => broker.close(),
  };
}

for (const [name, start] of [
  ["the embedded broker", embedded],
  ["a real Mosquitto", () => Mosquitto.start()],
] as const) {
  describe(`through ${name}`, () => {
    let broker: Broker;
    before(async () => {
      broker = await start();
    });
    after(() => broker.close());

    test("feed → broker → client → decode → analysis gives the simulator's exact bytes and a plausible beam", async () => {
      const client = await new Collector(undefined, { url: broker.url, settings }).connect();
      await waitFor("the subscription", () => client.events.includes("connect"));
      await new Promise((r) => setTimeout(r, 100)); // let the SUBACK land before the first pulse
      const feed = await startFeed({ url: broker.url, rate: 20, seed: 7 });
      await waitFor("5 pulses", () => client.pulses.length >= 5);
      await feed.stop();
      await client.disconnect();

      const expected = new BeamSimulator({ seed: 7 });
      const first = encodePulse(expected.nextPulse());
      assert.deepEqual(new Uint8Array(client.pulses[0]!.data.buffer, client.pulses[0]!.data.byteOffset, 704000), first);
      assert.equal(client.pulses[0]!.copied, false, "a large payload arrives 8-byte aligned and is not copied");
      for (const pulse of client.pulses) {
        const a = analysePulse(pulse);
        assert.equal(a.hottestBlm, "R1BLM3");
        assert.ok(a.survival > 0.9 && a.survival < 0.96, `survival ${a.survival}`);
        assert.ok(a.intensityPeakV < -3 && a.intensityPeakV > -3.3, `peak ${a.intensityPeakV}`);
      }
      assert.deepEqual(new Set(client.topics), new Set([DEFAULT_TOPIC]));
      assert.deepEqual(client.events.slice(-1), ["disconnect"]);
    });

    test("a broker restart mid-stream: the connect callback runs again, resubscribes, and pulses resume", async () => {
      const client = await new Collector(undefined, { url: broker.url, settings }).connect();
      const feed = await startFeed({ url: broker.url, rate: 20 });
      await waitFor("pulses before the restart", () => client.pulses.length >= 3);
      await broker.restart();
      const before = client.pulses.length;
      await waitFor("pulses after the restart", () => client.stats.connects >= 2 && client.pulses.length >= before + 5, 15_000);
      await feed.stop();
      await client.disconnect();
      assert.deepEqual(client.events.slice(0, 3), ["connect", "disconnect", "connect"]);
      assert.equal(client.stats.rejected, 0);
      assert.ok(feed.skipped >= 1, "the feed skipped (did not queue) the pulses due while the broker was away");
    });

    test("a message that is not a pulse is rejected and counted, and the stream goes on", async () => {
      const client = await new Collector(undefined, { url: broker.url, settings }).connect();
      const feed = await startFeed({ url: broker.url, rate: 20 });
      await waitFor("a first pulse", () => client.pulses.length >= 1);
      await client.publish(DEFAULT_TOPIC, "hello, I am not a pulse");
      const after = client.pulses.length;
      await waitFor("the rejection", () => client.stats.rejected === 1);
      await waitFor("more pulses", () => client.pulses.length >= after + 3);
      await feed.stop();
      await client.disconnect();
      assert.match(
        client.errors.join("\n"),
        /rejected: message too short: 23 bytes, not a whole number of float64 values, expected 704000 bytes/,
      );
      assert.ok(client.events.includes(`publish ${DEFAULT_TOPIC}`), "onPublish ran for our own message");
    });
  });
}

describe("connecting", () => {
  test("to a port where nothing listens fails with a clear reason at the time limit asked for (on a mocked clock)", async () => {
    const port = await freePort();
    const clock = mockClock();
    try {
      const client = new MQTTClient(undefined, { url: `mqtt://127.0.0.1:${port}`, settings, connectTimeoutMs: 2000 });
      const connecting = track(client.connect());
      await settle("the first attempt to be refused", () => client.errors.length > 0);
      clock.tick(1999);
      await settle("the attempts meanwhile", () => true);
      assert.equal(connecting.settled, false, "still trying 1 ms before the limit");
      clock.tick(1);
      await settle("connect() to give up", () => connecting.settled);
      assert.ok(connecting.error instanceof ConnectionError, String(connecting.error));
      assert.match(connecting.error.message, /^nothing is listening at mqtt:\/\/127\.0\.0\.1:\d+: is the broker running/);
    } finally {
      clock.restore();
    }
  });

  test("gives each client its own id", () => {
    const ids = new Set(Array.from({ length: 100 }, () => new MQTTClient(undefined, { settings }).clientId));
    assert.equal(ids.size, 100);
  });
});

describe("getLiveData on the built-in feed", () => {
  after(() => stopBuiltInFeed());

  test("collects for the given time, keeps the newest pulses and counts the rest", async () => {
    await startBuiltInFeed({ rate: 20 });
    const data = await getLiveData(undefined, 1, { settings, keep: 4 });
    assert.ok(data.received >= 10 && data.received <= 30, `received ${data.received}`);
    assert.equal(data.rejected, 0);
    assert.equal(data.pulses.length, 4);
    assert.equal(data.dropped, data.received - 4);
    assert.equal(data.connects, 1);
    assert.match(data.url, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
  });

  test("starting the built-in feed twice gives the same broker", async () => {
    const a = await startBuiltInFeed({ rate: 20 });
    const b = await startBuiltInFeed({ rate: 20 });
    assert.equal(a.url, b.url);
  });

  test("nextMessage waits for one message, and newestPulse gives the last pulse collected", async () => {
    await startBuiltInFeed({ rate: 20 });
    const message = await nextMessage(undefined, { settings });
    assert.equal(message.payload.byteLength, 704000);
    const data = await getLiveData(undefined, 0.5, { settings });
    assert.equal(newestPulse(data), data.pulses.at(-1));
  });

  test("when nothing arrives, nextMessage and newestPulse say where they listened", async () => {
    await startBuiltInFeed({ rate: 20 });
    await assert.rejects(
      nextMessage("nobody/publishes/here", { settings, timeoutMs: 500 }),
      (e: unknown) =>
        e instanceof NoDataError &&
        /^no message arrived on nobody\/publishes\/here at mqtt:\/\/127\.0\.0\.1:\d+ in 0\.5 s: is the feed publishing/.test(e.message),
    );
    const empty = await getLiveData("nobody/publishes/here", 0.3, { settings });
    assert.throws(
      () => newestPulse(empty),
      /^NoDataError: no pulse arrived on nobody\/publishes\/here at mqtt:\/\/127\.0\.0\.1:\d+ in 0\.3 s: is the feed/,
    );
  });

  test("rejects a nonsensical duration", async () => {
    await assert.rejects(getLiveData(undefined, -1, { settings }), /invalid seconds: -1/);
  });
});

describe("the built-in feed on a thread of its own", () => {
  after(() => stopBuiltInFeed());

  test("it keeps publishing while this thread is busy, and tells when each pulse was published", async () => {
    const builtIn = await startBuiltInFeed({ rate: 50, seed: 3 });
    assert.equal(builtIn.ownThread, true);
    const before = builtIn.feed.published;
    for (const until = Date.now() + 600; Date.now() < until;); // a cell that keeps this thread busy for 0.6 s
    const during = builtIn.feed.published - before;
    // 50 at 50 Hz; on this thread it would be none. Other processes on a busy machine take some of the feed's share.
    assert.ok(during >= 5, `published ${during} pulses while this thread was busy for 1 s at 50 Hz`);
    const message = await nextMessage(undefined, { settings });
    const publishedAt = builtIn.publishedAt(decodePulse(message.payload).data);
    const now = performance.timeOrigin + performance.now();
    assert.ok(publishedAt !== undefined && publishedAt <= now && now - publishedAt < 5000, `published at ${publishedAt}, now ${now}`);
    assert.equal(builtIn.publishedAt(new Float64Array(88_000)), undefined, "a pulse it never published");
  });
});
