// Faults a student meets: a broker that is down or restarts, malformed messages, a cell that blocks the event
// loop, wildcard subscriptions with other traffic, and re-running or interrupting cells. All against real
// brokers on loopback; nothing here may hang, crash, or lose something without saying so.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { analysePulse } from "../../src/beam/analysis";
import { startBroker, type EmbeddedBroker } from "../../src/mqtt/broker";
import { MQTTClient, sleep, type Message, type Rejection } from "../../src/mqtt/client";
import { decodePulse, encodePulse } from "../../src/beam/decode";
import { ConnectionError, NoDataError } from "../../src/errors";
import { startFeed, type Feed } from "../../src/feed/feed";
import { PULSE_BYTES, rowOf, SAMPLES } from "../../src/beam/layout";
import { getLiveData, nextMessage, type LiveData } from "../../src/live/live-data";
import type { Outage } from "../../src/mqtt/outages";
import { PulseMonitor } from "../../src/live/pulse-monitor";
import { closeAllClients, interrupt, liveClients } from "../../src/kernel/session";
import { readSettings, topicMatches } from "../../src/mqtt/settings";
import { BeamSimulator } from "../../src/beam/simulator";
import { mockClock } from "../helpers/mock-clock";
import { freePort, Mosquitto } from "../helpers/mosquitto";
import { relay } from "../helpers/relay";
import { slotOf } from "../helpers/seq-publisher";
import { settle, track, waitFor } from "../helpers/wait";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
/**
 * Bytes held in ArrayBuffers (Buffers, typed arrays) after full garbage collections. V8 frees the memory of dead
 * ArrayBuffers in a background sweep, so take the least of a few readings a little apart.
 */
async function heldBytes(): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 30));
    least = Math.min(least, process.memoryUsage().arrayBuffers);
  }
  return least;
}
const MB = 1024 * 1024;

const settings = readSettings({});
const simulator = new BeamSimulator({ seed: 11 });

/** Runs `npm run listen` (its source); `ready` resolves once it is connected, `output` with all it printed. */
function listen(args: string[]): { ready: Promise<void>; output: Promise<string> } {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/listen.ts", ...args], {
    env: { ...process.env, MQTT_URL: "", MQTT_TOPIC: "" },
  });
  let text = "";
  let connected: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  child.stdout.on("data", (d) => {
    text += d;
    if (/^(listening to|\{)/m.test(text)) connected();
  });
  child.stderr.on("data", (d) => (text += d));
  return { ready, output: new Promise<string>((resolve) => child.on("exit", () => resolve(text))) };
}

/** Starts test/helpers/seq-publisher.ts in its own process (so this process's pauses do not disturb it). */
async function seqPublisherProcess(url: string, topic: string, rate: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/helpers/seq-publisher.ts", url, topic, String(rate)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((resolve) => child.stdout!.once("data", resolve));
  return child;
}

/** Blocks the event loop, as a slow notebook cell does. */
function blockFor(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* busy */
  }
}

/** A numbered pulse as a client saw it: its slot and send time (see seq-publisher), and when it arrived. */
interface Arrival {
  readonly slot: number;
  readonly sentAt: number;
  readonly receivedAt: number;
}
const arrivalOf = (message: Message): Arrival => ({ ...slotOf(message.payload), receivedAt: message.receivedAt });

/**
 * What an outage's estimate of missed pulses should come to, by the numbered pulses around it: `gap`, the slots
 * between the last pulse that arrived before the drop and the first after the reconnect; `expected`, that plus
 * the pulses the estimate adds when this process read the first one later after its sending than the last one
 * (the estimate only knows arrival times, and a busy process reads late).
 */
function missedAround(outage: Outage, arrivals: readonly Arrival[]): { gap: number; expected: number } {
  const before = arrivals.filter((a) => a.receivedAt <= outage.droppedAt).at(-1)!;
  const after = arrivals.find((a) => a.receivedAt >= outage.reconnectedAt!)!;
  const gap = after.slot - before.slot - 1;
  const lateMs = after.receivedAt - after.sentAt - (before.receivedAt - before.sentAt);
  return { gap, expected: gap + (lateMs / 1000) * outage.rateHz! };
}

describe("a broker that is down at the start", () => {
  // On a mocked clock: refused connections are retried (the broker may be starting) until the time limit.
  test("connect() gives up at the time limit (5 s by default), not a ms sooner, with one clear line, and leaves nothing running", async () => {
    const url = `mqtt://127.0.0.1:${await freePort()}`;
    const clock = mockClock();
    try {
      const client = new MQTTClient(undefined, { url, settings });
      const connecting = track(client.connect());
      const collecting = track(getLiveData(undefined, 60, { url, settings }));
      await settle("the first attempt to be refused", () => client.errors.length > 0);
      clock.tick(4999);
      await settle("the attempts meanwhile", () => true);
      assert.deepEqual([connecting.settled, collecting.settled], [false, false], "still trying 1 ms before the limit");
      clock.tick(1);
      await settle("both to give up", () => connecting.settled && collecting.settled);
      const line = `nothing is listening at ${url}: is the broker running and the port right?`;
      for (const { error } of [connecting, collecting]) {
        assert.ok(error instanceof ConnectionError, String(error));
        assert.equal(error.message, line);
      }
      assert.equal(client.connected, false);
      assert.equal(liveClients(), 0, "no client left trying in the background");
    } finally {
      clock.restore();
    }
  });
});

describe("a broker restart mid-stream", () => {
  const TOPIC = "faults/restart";
  class Recorder extends MQTTClient {
    readonly events: string[] = [];
    readonly slots: number[] = [];
    readonly arrivals: Arrival[] = [];
    override onConnect(): void {
      this.events.push("connect");
      super.onConnect(); // resubscribes: that is what makes pulses come back
    }
    override onDisconnect(): void {
      this.events.push("disconnect");
    }
    override onMessage(message: Message): void {
      this.slots.push(slotOf(message.payload).slot);
      this.arrivals.push(arrivalOf(message));
    }
  }
  let broker: Mosquitto;
  let subscriber: Recorder;
  let feed: Feed;
  let live: LiveData;
  let listened: string;
  let outages: Outage[];
  const whileDown = { maxBacklog: 0, maxHeld: 0, baseline: 0, publishedBefore: 0, publishedDuring: 0, skippedDuring: 0 };
  const AWAY_MS = 5000;

  before(async () => {
    broker = await Mosquitto.start();
    const publisher = await seqPublisherProcess(broker.url, TOPIC, 20);
    subscriber = await new Recorder(TOPIC, { url: broker.url, settings }).connect();
    feed = await startFeed({ url: broker.url, topic: "faults/feed", rate: 50 });
    // Long enough for both outages also on a busy machine (about 13 s on a quiet one).
    const liveData = getLiveData(TOPIC, 20, { url: broker.url, settings, keep: 3 });
    const listening = listen(["--url", broker.url, "--topic", TOPIC, "--seconds", "20"]);
    await listening.ready;
    await waitFor("two seconds of pulses", () => subscriber.slots.length >= 40);

    // Outage 1: the broker is away for 5 s while the feed wants to publish 50 pulses a second. The reconnect
    // attempts come 1, 3 and 7 s after the drop: its return falls 2 s after the second and 2 s before the third,
    // so a timer or a restart that load makes late by a second does not change what happens.
    whileDown.baseline = await heldBytes();
    await broker.stop();
    await waitFor("the feed to notice", () => !feed.connected, 2000);
    whileDown.publishedBefore = feed.published;
    const skippedBefore = feed.skipped;
    for (const end = Date.now() + AWAY_MS; Date.now() < end; await sleep(50)) {
      whileDown.maxBacklog = Math.max(whileDown.maxBacklog, feed.backlogBytes);
      whileDown.maxHeld = Math.max(whileDown.maxHeld, process.memoryUsage().arrayBuffers);
    }
    whileDown.publishedDuring = feed.published - whileDown.publishedBefore;
    whileDown.skippedDuring = feed.skipped - skippedBefore;
    await broker.restart();
    const seen = subscriber.slots.length;
    await waitFor("pulses after the restart", () => subscriber.stats.connects >= 2 && subscriber.slots.length >= seen + 10, 15_000);
    const published = feed.published;
    await waitFor("the feed publishing again", () => feed.published >= published + 25, 5000);

    // Outage 2: a blip of 0.3 s. The reconnect delay must be back at 1 s.
    await broker.stop();
    await sleep(300);
    await broker.restart();
    const seen2 = subscriber.slots.length;
    await waitFor("pulses after the second restart", () => subscriber.stats.connects >= 3 && subscriber.slots.length >= seen2 + 10, 15_000);
    outages = subscriber.outages;

    live = await liveData;
    listened = await listening.output;
    await subscriber.disconnect();
    publisher.kill("SIGTERM");
    await feed.stop();
  });
  after(() => broker.close());

  test("the client reconnects by itself, its connect callback resubscribes, and pulses resume", () => {
    assert.deepEqual(subscriber.events, ["connect", "disconnect", "connect", "disconnect", "connect", "disconnect"]);
    assert.equal(subscriber.stats.rejected, 0);
  });

  // The exact times (1, 3, 7 … s, and 1 s again after a connect) are tested on a mocked clock in backoff.test.ts.
  test("the reconnect delays grow (1 s, 2 s, 4 s) while the broker stays away, and start at 1 s again after", () => {
    assert.equal(outages.length, 2);
    const [long, blip] = outages as [Outage, Outage];
    // Away for 5 s: attempts at 1 s and 3 s fail, the one at 7 s succeeds. A fixed 1 s period would have
    // made 6 attempts; an attempt never comes before its delay is up.
    assert.equal(long.attempts, 3, `attempts ${long.attempts}`);
    assert.ok(long.downMs >= 1000 + 2000 + 4000 - 50, `down for ${long.downMs} ms`); // − 50: Date.now() against the timers' clock
    // Away for 0.3 s: back at the first attempt.
    assert.equal(blip.attempts, 1, `attempts ${blip.attempts}`);
    assert.ok(blip.downMs >= 1000 - 50, `down for ${blip.downMs} ms`);
  });

  test("each outage is recorded with when, how long, and about how many pulses were missed (checked against the numbered pulses)", () => {
    outages.forEach((outage, i) => {
      // The rate is measured over the arrivals of the connection that dropped (since connecting, or the
      // reconnect before): exactly those, as this client saw them (OutageLog's arithmetic: outages.test.ts).
      // How close that comes to the publisher's 20/s depends on how busy the machine is: only a sanity check.
      const since = i === 0 ? -Infinity : outages[i - 1]!.reconnectedAt!;
      const seen = subscriber.arrivals.filter((a) => a.receivedAt >= since && a.receivedAt <= outage.droppedAt);
      const measured = (seen.length - 1) / ((seen.at(-1)!.receivedAt - seen[0]!.receivedAt) / 1000);
      assert.ok(Math.abs(outage.rateHz! - measured) < 1e-9, `outage ${i + 1}: rate ${outage.rateHz}, by its arrivals ${measured}`);
      assert.ok(outage.rateHz! > 10 && outage.rateHz! < 40, `rate ${outage.rateHz} (the publisher sends 20/s)`);
      // The gap is found by the outage's times, not by its size: a publisher that a busy machine makes late
      // skips a few slots of its own now and then.
      const { gap, expected } = missedAround(outage, subscriber.arrivals);
      assert.ok(gap > 0, `outage ${i + 1}: no numbered pulse missing around it`);
      assert.ok(
        Math.abs(outage.missed! - expected) <= Math.max(3, 0.08 * gap),
        `outage ${i + 1}: estimated ${outage.missed} missed, really ${gap} (${expected.toFixed(1)} by the arrival times)`,
      );
      assert.ok(outage.reconnectedAt! > outage.droppedAt);
      assert.match(outage.reason, /closed the connection/);
    });
    assert.equal(subscriber.stats.outages, 2);
    assert.equal(subscriber.stats.missed, outages[0]!.missed! + outages[1]!.missed!);
    assert.equal(subscriber.stats.downMs, outages[0]!.downMs + outages[1]!.downMs);
    assert.match(
      subscriber.errors.join("\n"),
      /connection lost: .*reconnecting[\s\S]*connected again after \d+\.\d s \(3 reconnect attempts\)/,
    );
  });

  test("getLiveData reports the outages it lived through", () => {
    assert.equal(live.connects, 3);
    assert.equal(live.outages.length, 2);
    assert.ok(live.missed > 100, `missed ${live.missed}`);
    assert.equal(
      live.missed,
      live.outages.reduce((sum, o) => sum + o.missed!, 0),
    );
    assert.equal(live.pulses.length, 3);
  });

  test("npm run listen prints the drop and the return as they happen, and each outage at the end", () => {
    assert.match(listened, /^connection lost: mqtt:\/\/127\.0\.0\.1:\d+ closed the connection; reconnecting$/m);
    assert.match(listened, /^connected again after \d+\.\d s$/m);
    const summary = listened.match(
      /^connection lost at \d\d:\d\d:\d\d\.\d{3} for (\d+\.\d) s \((\d) reconnect attempts?\), about (\d+) messages missed at (\d+\.\d)\/s: .+$/gm,
    );
    assert.equal(summary?.length, 2, listened);
  });

  test("the feed skips and counts, never queues, while its broker is away, and resumes", () => {
    assert.equal(whileDown.publishedDuring, 0);
    // Every slot of the 5 s is skipped (the feed's schedule is tested on a mocked clock in feed/schedule.test.ts).
    assert.ok(whileDown.skippedDuring >= 0.9 * 50 * (AWAY_MS / 1000), `skipped ${whileDown.skippedDuring} of about 250 slots`);
    assert.ok(whileDown.maxBacklog <= 2 * PULSE_BYTES, `backlog ${whileDown.maxBacklog} bytes`);
    // 5 s of pulses at 50 Hz would be 176 MB if they were kept.
    assert.ok(
      whileDown.maxHeld - whileDown.baseline < 20 * MB,
      `memory grew ${((whileDown.maxHeld - whileDown.baseline) / MB).toFixed(1)} MB`,
    );
  });
});

describe("a network that goes silent (Wi-Fi drops: no reset, just nothing)", () => {
  // When it is noticed (1.5 × keepalive after the last packet) is tested on a mocked clock in keepalive.test.ts.
  test("is noticed by the keep-alive, reported as an outage with its reason, and pulses resume when it is back", async () => {
    const TOPIC = "faults/silent";
    const broker = await Mosquitto.start();
    const publisher = await seqPublisherProcess(broker.url, TOPIC, 20);
    const wifi = await relay(broker.port);
    const slots: number[] = [];
    const arrivals: Arrival[] = [];
    // keepalive 1 s here (15 s by default: a silent network is then noticed after 22.5 s).
    const client = new MQTTClient(TOPIC, { url: wifi.url, settings, connectTimeoutMs: 1000, mqtt: { keepalive: 1 } });
    client.onMessage = (message) => {
      slots.push(slotOf(message.payload).slot);
      arrivals.push(arrivalOf(message));
    };
    let outage: Outage | undefined;
    let wentSilent = 0;
    try {
      await client.connect();
      await waitFor("pulses", () => slots.length >= 20);
      wifi.silent = true;
      wentSilent = Date.now();
      await waitFor("the drop to be noticed", () => client.outages.length === 1, 10_000);
      await sleep(3000 - (Date.now() - wentSilent)); // silent for 3 s in all (or, under load, until noticed)
      wifi.silent = false;
      const seen = slots.length;
      await waitFor("pulses again", () => client.connected && slots.length >= seen + 10, 12_000);
      outage = client.outages[0];
    } finally {
      await client.disconnect();
      publisher.kill("SIGTERM");
      await wifi.close();
      await broker.close();
    }

    assert.equal(client.outages.length, 1);
    assert.ok(outage!.droppedAt >= wentSilent, "dropped because the network went silent, not before");
    assert.equal(
      outage!.reason,
      `${wifi.url} stopped answering (no reply to keep-alive pings): is the network (Wi-Fi) or the broker down?`,
    );
    const { gap, expected } = missedAround(outage!, arrivals);
    assert.ok(gap > 0, "numbered pulses are missing around the outage");
    assert.ok(
      Math.abs(outage!.missed! - expected) <= Math.max(3, 0.08 * gap),
      `estimated ${outage!.missed} missed, really ${gap} (${expected.toFixed(1)} by the arrival times)`,
    );
  });
});

describe("malformed messages", () => {
  const TOPIC = "faults/malformed";
  let broker: Mosquitto;
  before(async () => {
    broker = await Mosquitto.start();
  });
  after(() => broker.close());

  const good = () => encodePulse(simulator.nextPulse());
  const withNonFinite = () => {
    const data = simulator.nextPulse();
    const r1blm3 = rowOf("R1BLM3") * SAMPLES;
    data[r1blm3 + 400] = NaN;
    data[r1blm3 + 401] = Infinity;
    data[r1blm3 + 402] = -Infinity;
    data.fill(NaN, rowOf("R2BLM1") * SAMPLES, (rowOf("R2BLM1") + 1) * SAMPLES); // a channel that read nothing
    return encodePulse(data);
  };
  const TEN_MB = 10 * MB;
  const cases: Array<[string, () => Uint8Array | string, RegExp | undefined]> = [
    ["a good pulse", good, undefined],
    ["an empty message", () => new Uint8Array(0), /^empty message: 0 bytes, expected 704000 bytes/],
    ["a short one", () => new Uint8Array(8000), /^message too short: 8000 bytes, expected 704000/],
    ["one byte over", () => new Uint8Array(PULSE_BYTES + 1), /^message too long: 704001 bytes, not a whole number of float64 values/],
    ["not a multiple of 8", () => new Uint8Array(1234), /^message too short: 1234 bytes, not a whole number of float64 values/],
    [
      "10 MB",
      () => new Uint8Array(TEN_MB),
      /^message too large: 10485760 bytes, more than the limit of 1048576 \(maxMessageBytes\); dropped unread$/,
    ],
    ["NaN and ±Infinity samples", withNonFinite, undefined],
    [
      "a text message",
      () => "beam off: maintenance until 14:00",
      /^message too short: 33 bytes, .*; it looks like text: "beam off: maintenance until 14:00"$/,
    ],
    ["another good pulse", good, undefined],
  ];

  test("each is rejected with its reason or flagged, counted, and the stream goes on", async () => {
    const monitor = new PulseMonitor(TOPIC, { url: broker.url, settings });
    const rejections: Rejection[] = [];
    monitor.client.onReject = (r) => rejections.push(r);
    await monitor.start();
    await sleep(100); // let the SUBACK land
    const printed = listen(["--url", broker.url, "--topic", TOPIC, "--seconds", "3"]);
    await printed.ready;
    const publisher = await new MQTTClient(TOPIC, { url: broker.url, settings }).connect();
    for (const [, make] of cases) await publisher.publish(TOPIC, make());
    await waitFor("every message", () => monitor.counts.received === cases.length);
    await publisher.disconnect();
    await monitor.stop();

    const expectedRejections = cases.filter(([, , reason]) => reason);
    assert.deepEqual(monitor.counts, { received: 9, analysed: 3, rejected: 6, taken: 0, skipped: 2, flagged: 1 });
    assert.equal(rejections.length, expectedRejections.length);
    rejections.forEach((rejection, i) => {
      const [what, , reason] = expectedRejections[i]!;
      assert.match(rejection.reason, reason!, what);
      assert.equal(rejection.topic, TOPIC);
    });
    assert.deepEqual(
      rejections.map((r) => r.seq),
      [2, 3, 4, 5, 6, 8],
    );
    assert.deepEqual(
      rejections.map((r) => r.bytes),
      [0, 8000, PULSE_BYTES + 1, 1234, TEN_MB, 33],
    );
    assert.equal(monitor.client.stats.oversized, 1);
    assert.equal(monitor.latest!.seq, 9, "the good pulse after all that was decoded and analysed");
    assert.equal(monitor.client.errors.length, 6);

    // What a NaN sample means: "no reading". It is skipped, counted, and a channel of nothing but NaN is dead.
    const flagged = monitor.history().find((h) => h.seq === 7)!.analysis;
    assert.equal(flagged.nonFiniteSamples, 3 + SAMPLES);
    assert.deepEqual(flagged.deadChannels, ["R0BLM1", "R2BLM1"]);
    assert.equal(flagged.hottestBlm, "R1BLM3");
    assert.ok(Number.isFinite(flagged.hottestBlmIntegralVms) && Number.isFinite(flagged.survival));

    // npm run listen gives each its own line and carries on.
    const lines = (await printed.output).trim().split("\n").slice(1);
    const expected = [
      /^#1 faults\/malformed 704000 bytes: R5IM peak -3\.\d{3} V, survival 9\d\.\d %, hottest R1BLM3 \(0\.\d{4} V·ms\)$/,
      /^#2 faults\/malformed 0 bytes: rejected, empty message: 0 bytes, expected 704000 bytes/,
      /^#3 faults\/malformed 8000 bytes: rejected, message too short/,
      /^#4 faults\/malformed 704001 bytes: rejected, message too long/,
      /^#5 faults\/malformed 1234 bytes: rejected, message too short: 1234 bytes, not a whole number/,
      /^#6 faults\/malformed 10485760 bytes: rejected, message too large: 10485760 bytes, more than the limit of 1048576/,
      /^#7 faults\/malformed 704000 bytes: R5IM peak .* hottest R1BLM3 .*, 2203 non-finite samples skipped$/,
      /^#8 faults\/malformed 33 bytes: rejected, .*it looks like text: "beam off: maintenance until 14:00"$/,
      /^#9 faults\/malformed 704000 bytes: R5IM peak/,
      /^received 9, rejected 6$/,
    ];
    assert.equal(lines.length, expected.length, lines.join("\n"));
    lines.forEach((line, i) => assert.match(line, expected[i]!));
  });

  test("a 10 MB message is never held in memory, and rejected messages are not kept", async () => {
    const kept: WeakRef<Buffer>[] = [];
    const client = new MQTTClient(TOPIC, { url: broker.url, settings });
    client.onMessage = (message) => {
      kept.push(new WeakRef(message.payload));
      decodePulse(message.payload); // rejects all of these
    };
    await client.connect();
    await sleep(100);
    const publisher = await new MQTTClient(TOPIC, { url: broker.url, settings }).connect();
    const big = new Uint8Array(TEN_MB);
    const baseline = await heldBytes();
    let peak = 0;
    for (let i = 0; i < 20; i++) {
      await publisher.publish(TOPIC, big);
      await publisher.publish(TOPIC, new Uint8Array(PULSE_BYTES - 8)); // one float64 short
    }
    await waitFor("40 messages", () => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers);
      return client.stats.received === 40;
    });
    await publisher.disconnect();
    const after = await heldBytes();
    await client.disconnect();
    assert.equal(client.stats.oversized, 20);
    assert.equal(client.stats.rejected, 40);
    assert.equal(kept.length, 20, "only the 20 readable ones reached onMessage");
    assert.ok(
      kept.every((ref) => ref.deref() === undefined),
      "no rejected payload is still referenced",
    );
    // 20 × 10 MB went through this process's socket: the guard dropped them as they streamed in.
    assert.ok(after - baseline < 4 * MB, `held ${((after - baseline) / MB).toFixed(1)} MB more after`);
    assert.ok(peak - baseline < 60 * MB, `peak ${((peak - baseline) / MB).toFixed(1)} MB above the start (20 messages are 200 MB)`);
  });

  test("a larger limit can be asked for: then a 10 MB message reaches onMessage (and is rejected there as too long)", async () => {
    const client = new MQTTClient(TOPIC, { url: broker.url, settings, maxMessageBytes: 16 * MB });
    const reasons: string[] = [];
    client.onReject = (r) => reasons.push(r.reason);
    client.onMessage = (message) => void decodePulse(message.payload);
    await client.connect();
    await sleep(100);
    const publisher = await new MQTTClient(TOPIC, { url: broker.url, settings }).connect();
    await publisher.publish(TOPIC, new Uint8Array(TEN_MB));
    await waitFor("the message", () => client.stats.received === 1);
    await publisher.disconnect();
    await client.disconnect();
    assert.deepEqual(reasons, ["message too long: 10485760 bytes, expected 704000 bytes (40 × 2200 float64)"]);
    assert.equal(client.stats.oversized, 0);
    assert.throws(() => new MQTTClient(TOPIC, { settings, maxMessageBytes: 0 }), /invalid maxMessageBytes: 0/);
  });
});

describe("a slow consumer: a cell that blocks for 3 s while 50 pulses a second arrive", () => {
  const TOPIC = "faults/slow";
  let broker: Mosquitto;
  let publisher: ChildProcess;
  before(async () => {
    broker = await Mosquitto.start();
    // The publisher runs in its own process: the blocked cell must not slow it down.
    publisher = await seqPublisherProcess(broker.url, TOPIC, 50);
  });
  after(async () => {
    publisher.kill("SIGTERM");
    await broker.close();
  });

  test("memory stays bounded, and right after the block the view shows a current pulse, not one from seconds ago", async () => {
    const monitor = await new PulseMonitor(TOPIC, { url: broker.url, settings }).start();
    const collecting = getLiveData(TOPIC, 6, { url: broker.url, settings, keep: 10 });
    await waitFor("pulses flowing", () => monitor.counts.analysed >= 25);
    monitor.take();
    const baseline = await heldBytes();
    const skippedBefore = monitor.counts.skipped;

    blockFor(3000);
    const unblocked = Date.now();
    // Current again: the monitor's newest pulse was sent after the block ended (the publisher's send time, on
    // this machine's clock), so the 3 s sent meanwhile have all been read and passed over.
    await waitFor("a pulse sent after the block", () => monitor.latest!.pulse.data[1]! >= unblocked, 10_000);
    const received = monitor.client.stats.received;
    const shown = monitor.take()!;
    // While the backlog drains, a few pulses are in flight at once; then memory is back where it was.
    let peak = 0;
    for (let i = 0; i < 10; i++, await sleep(50)) peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    await sleep(500);
    const held = (await heldBytes()) - baseline;
    const data = await collecting;
    await monitor.stop();

    // take() gives the newest pulse that has arrived, not the oldest one waiting: nothing queues.
    assert.equal(shown.seq, received, "take() gave the newest pulse");
    assert.ok(shown.pulse.data[1]! >= unblocked, "one sent after the block");
    assert.ok(monitor.counts.skipped - skippedBefore >= 120, `skipped ${monitor.counts.skipped - skippedBefore} stale pulses, not queued`);
    assert.ok(monitor.history().length <= 500);
    // 3 s at 50 Hz is 150 pulses, 106 MB: none of that may pile up.
    assert.ok(peak < 60 * MB, `${(peak / MB).toFixed(1)} MB more while catching up`);
    assert.ok(held < 15 * MB, `held ${(held / MB).toFixed(1)} MB more after the block`);
    assert.equal(data.pulses.length, 10);
    assert.equal(data.dropped, data.received - 10);
    assert.equal(data.rejected, 0);
  });
});

describe("wildcards and topics", () => {
  let broker: Mosquitto;
  before(async () => {
    broker = await Mosquitto.start();
  });
  after(() => broker.close());

  test("ac_phys/workxp/# gets the pulses and a text status on another topic, and routing by message.topic keeps them apart", async () => {
    const pulses: number[] = [];
    const statuses: string[] = [];
    const router = new MQTTClient("ac_phys/workxp/#", { url: broker.url, settings });
    router.onMessage = (message) => {
      if (topicMatches("ac_phys/workxp/live_signals", message.topic))
        pulses.push(analysePulse(decodePulse(message.payload)).intensityPeakV);
      else if (topicMatches("ac_phys/workxp/+", message.topic)) statuses.push(`${message.topic}: ${message.payload.toString()}`);
    };
    await router.connect();
    const plus = await new MQTTClient("ac_phys/+/live_signals", { url: broker.url, settings }).connect();
    const plusTopics: string[] = [];
    plus.onMessage = (message) => plusTopics.push(message.topic);
    const everything = getLiveData("ac_phys/workxp/#", 1.5, { url: broker.url, settings });
    await sleep(300);
    const publisher = await new MQTTClient(undefined, { url: broker.url, settings }).connect();
    for (let i = 0; i < 3; i++) {
      await publisher.publish("ac_phys/workxp/live_signals", encodePulse(simulator.nextPulse()));
      if (i === 1) await publisher.publish("ac_phys/workxp/status", "beam on");
    }
    await publisher.publish("ac_phys/other/status", "not for us");
    await waitFor("everything", () => pulses.length === 3 && statuses.length === 1 && plusTopics.length === 3);
    const data = await everything;
    await Promise.all([publisher.disconnect(), router.disconnect(), plus.disconnect()]);

    assert.equal(router.stats.rejected, 0);
    assert.ok(
      pulses.every((peak) => peak < -3),
      "every pulse decoded",
    );
    assert.deepEqual(statuses, ["ac_phys/workxp/status: beam on"]);
    assert.deepEqual(plusTopics, ["ac_phys/workxp/live_signals", "ac_phys/workxp/live_signals", "ac_phys/workxp/live_signals"]);
    // getLiveData decodes everything it subscribed to: the status is rejected with a reason, the pulses still count.
    assert.equal(data.pulses.length, 3);
    assert.equal(data.rejected, 1);
    assert.match(
      data.errors.join("\n"),
      /^message 3 on ac_phys\/workxp\/status rejected: message too short: 7 bytes.*it looks like text: "beam on"$/m,
    );
  });

  test("topicMatches follows the broker's rules", () => {
    const table: Array<[string, string, boolean]> = [
      ["ac_phys/workxp/#", "ac_phys/workxp/live_signals", true],
      ["ac_phys/workxp/#", "ac_phys/workxp", true],
      ["ac_phys/workxp/#", "ac_phys/other/live_signals", false],
      ["ac_phys/+/live_signals", "ac_phys/workxp/live_signals", true],
      ["ac_phys/+/live_signals", "ac_phys/workxp/status", false],
      ["ac_phys/+", "ac_phys/workxp/live_signals", false],
      ["#", "$SYS/broker/uptime", false],
      ["a/b", "a/b", true],
      ["a/b", "a/b/c", false],
    ];
    for (const [filter, topic, expected] of table) assert.equal(topicMatches(filter, topic), expected, `${filter} vs ${topic}`);
    assert.throws(() => topicMatches("a/#/b", "a/x/b"), /filter "a\/#\/b" has # that is not the whole last level/);
  });
});

describe("clean ends", () => {
  let broker: EmbeddedBroker;
  before(async () => {
    broker = await startBroker();
  });
  after(() => broker.close());

  test("connecting a client with the name of one still connected replaces it: re-running a cell leaves one", async () => {
    const first = await new MQTTClient(undefined, { url: broker.url, settings, name: "printer" }).connect();
    const second = await new MQTTClient(undefined, { url: broker.url, settings, name: "printer" }).connect();
    await waitFor("the broker to see one client", () => broker.connectedClients === 1);
    assert.equal(first.connected, false);
    assert.equal(second.connected, true);
    const other = await new MQTTClient(undefined, { url: broker.url, settings, name: "plotter" }).connect();
    await waitFor("two clients", () => broker.connectedClients === 2);
    assert.equal(await closeAllClients(), 2);
    await waitFor("no clients", () => broker.connectedClients === 0);
    assert.equal(other.connected, false);
    assert.equal(liveClients(), 0);
  });

  // "At once" is tested on a mocked clock that stands still: whatever ends does so without waiting for a timer.
  test("an interrupt ends a pending sleep and a long getLiveData at once, quietly: getLiveData returns what it had and closes its client", async () => {
    const clock = mockClock();
    try {
      const long = track(getLiveData(undefined, 60, { url: broker.url, settings }));
      const nap = track(sleep(60_000));
      await settle("getLiveData's client", () => broker.connectedClients === 1);
      await interrupt();
      await settle("both to end", () => long.settled && nap.settled);
      assert.equal(long.error, undefined, "getLiveData resolves: nothing the cell declared is lost");
      assert.equal(nap.error, undefined, "the sleep ends without an error");
      const data = long.value!;
      assert.ok(data.seconds < 60, `getLiveData says it listened ${data.seconds} s, not the 60 asked for`);
      assert.equal(data.received, 0);
      await settle("no clients", () => broker.connectedClients === 0);
    } finally {
      clock.restore();
    }
    assert.equal((await getLiveData(undefined, 0.2, { url: broker.url, settings })).seconds, 0.2, "a later wait is whole again");
  });

  test("nextMessage stopped by an interrupt says so in one line", async () => {
    const waiting = nextMessage(undefined, { url: broker.url, settings, timeoutMs: 60_000 });
    const ends = assert.rejects(
      waiting,
      (e: unknown) => e instanceof NoDataError && /^stopped \(■\) before a message arrived on /.test(e.message),
    );
    await waitFor("nextMessage's client", () => broker.connectedClients === 1);
    await interrupt();
    await ends;
  });

  test("an error in a callback is the callback's: counted in callbackErrors with its line, never as a rejected message", async () => {
    const publisher = await new MQTTClient("faults/callbacks", { url: broker.url, settings }).connect();
    class Buggy extends MQTTClient {
      sizes: number[] = [];
      override onMessage(message: Message) {
        const previous = this.sizes[this.sizes.length]!; // the bug: the last one is at length - 1
        this.sizes.push(message.payload.length + previous.valueOf());
      }
    }
    const buggy = await new Buggy("faults/callbacks", { url: broker.url, settings }).connect();
    const decoding = await new MQTTClient("faults/callbacks", { url: broker.url, settings }).connect();
    decoding.onMessage = (message) => void decodePulse(message.payload);
    for (let i = 0; i < 3; i++) await publisher.publish("faults/callbacks", "not a pulse");
    await waitFor("three messages each", () => buggy.stats.received === 3 && decoding.stats.received === 3);
    assert.deepEqual([buggy.stats.callbackErrors, buggy.stats.rejected], [3, 0]);
    assert.match(buggy.errors[0]!, /^Buggy\.onMessage threw TypeError: Cannot read properties of undefined \(reading 'valueOf'\) \(×3\)$/);
    assert.deepEqual([decoding.stats.callbackErrors, decoding.stats.rejected], [0, 3], "a PayloadError rejects the message");
    assert.match(decoding.errors[0]!, /^message 1 on faults\/callbacks rejected: message too short/);
    const data = getLiveData("faults/callbacks", 1, {
      url: broker.url,
      settings,
      onPulse: () => {
        throw new Error("my plot failed");
      },
    });
    await waitFor("getLiveData's client", () => broker.connectedClients === 4);
    await publisher.publish("faults/callbacks", encodePulse(simulator.nextPulse()));
    const got = await data;
    assert.deepEqual([got.received, got.rejected, got.callbackErrors, got.pulses.length], [1, 0, 1, 1], "onPulse's error keeps the pulse");
    assert.match(got.errors[0]!, /^MQTTClient\.onPulse threw Error: my plot failed$/);
    await Promise.all([publisher.disconnect(), buggy.disconnect(), decoding.disconnect()]);
  });

  test("while the broker is away, publishing fails at once with one line (nothing queues), and disconnecting returns at once", async () => {
    const clock = mockClock(); // first: every timer of this broker and client is a mock one
    const port = await freePort();
    let away = await startBroker({ port });
    const client = await new MQTTClient(undefined, { url: away.url, settings }).connect();
    try {
      await away.close();
      await settle("the drop", () => !client.connected);
      const publishing = track(client.publish("faults/offline", "hello"));
      await settle("publish() to fail", () => publishing.settled);
      assert.ok(publishing.error instanceof ConnectionError, String(publishing.error));
      assert.equal(publishing.error.message, `cannot publish to faults/offline: not connected to ${away.url} right now (reconnecting)`);
      const disconnecting = track(client.disconnect());
      await settle("disconnect() to return", () => disconnecting.settled);
      assert.equal(disconnecting.error, undefined);
      assert.equal(client.outages.length, 1);
      away = await startBroker({ port });
      clock.tick(20_000); // far past every reconnect delay
      await settle("any reconnect", () => true);
      assert.equal(client.outages[0]!.attempts, 0, "no reconnect attempt after disconnect()");
      assert.equal(client.stats.connects, 1, "a disconnected client does not come back by itself");
      assert.equal(away.connectedClients, 0);
    } finally {
      await client.disconnect();
      await away.close();
      clock.restore();
    }
  });

  test("a client prints without its password", async () => {
    const secret = "s3cret-in-memory-only";
    const client = new MQTTClient(undefined, {
      url: broker.url,
      settings: readSettings({ MQTT_USERNAME: "student", MQTT_PASSWORD: secret }),
    });
    const { inspect } = await import("node:util");
    assert.doesNotMatch(inspect(client, { depth: 10 }) + JSON.stringify(client), new RegExp(secret));
    assert.doesNotMatch(
      inspect(readSettings({ MQTT_USERNAME: "student", MQTT_PASSWORD: secret })) +
        JSON.stringify(readSettings({ MQTT_USERNAME: "s", MQTT_PASSWORD: secret })),
      new RegExp(secret),
    );
    assert.equal(readSettings({ MQTT_USERNAME: "s", MQTT_PASSWORD: secret }).password, secret, "still there for connecting");
  });
});
