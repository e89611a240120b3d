// The feed's topic tree: pulses, a summary of each, a retained status with a last will, and requests on the
// control topic — through the embedded broker and a real Mosquitto, and `npm run feed` killed with SIGKILL.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { analysePulse } from "../../src/beam/analysis";
import { decodePulse } from "../../src/beam/decode";
import { startBuiltInFeed, stopBuiltInFeed } from "../../src/feed/built-in";
import { startFeed as startFeedNow, type Feed, type FeedOptions } from "../../src/feed/feed";
import { closeAllClients } from "../../src/kernel/session";
import { statusLine, summaryLine, topicKind } from "../../src/feed/lines";
import { feedTopics, parseRequest, parseStatus, parseSummary, summarise, TOPICS, type FeedStatus } from "../../src/feed/topics";
import { startBroker } from "../../src/mqtt/broker";
import { MQTTClient, type Message } from "../../src/mqtt/client";
import { startRelay } from "../../src/mqtt/relay";
import { readSettings } from "../../src/mqtt/settings";
import { BeamSimulator } from "../../src/beam/simulator";
import { pulseFromSamples } from "../../src/beam/decode";
import { Mosquitto } from "../helpers/mosquitto";
import { waitFor } from "../helpers/wait";

const settings = readSettings({});
// A test that fails half-way must not leave clients or feeds reconnecting for ever (the file would never end).
const feeds: Feed[] = [];
async function startFeed(options: FeedOptions): Promise<Feed> {
  const feed = await startFeedNow(options);
  feeds.push(feed);
  return feed;
}
after(async () => {
  await closeAllClients();
  await Promise.all(feeds.map((f) => f.stop()));
});

/** Keeps every message of the tree it subscribes to, by kind. */
class TreeRecorder extends MQTTClient {
  readonly got: Message[] = [];
  override onMessage(message: Message): void {
    this.got.push(message);
  }
  on(topic: string): Message[] {
    return this.got.filter((m) => m.topic === topic);
  }
  statuses(): FeedStatus[] {
    return this.on(TOPICS.status).map((m) => parseStatus(m.payload));
  }
  /** The statuses since the feed last said it was online (a status retained from an earlier feed comes first). */
  sinceOnline(): FeedStatus[] {
    const all = this.statuses();
    const online = all.map((s) => s.online).lastIndexOf(true); // findLastIndex is ES2023; the project targets ES2022
    return online < 0 ? [] : all.slice(online);
  }
}

describe("the topic names and messages", () => {
  test("the summary, status and control topics are siblings of the pulse topic", () => {
    assert.deepEqual(feedTopics(), {
      pulses: "ac_phys/workxp/live_signals",
      summary: "ac_phys/workxp/summary",
      envelope: "ac_phys/workxp/envelope",
      status: "ac_phys/workxp/status",
      control: "ac_phys/workxp/control",
      all: "ac_phys/workxp/#",
    });
    assert.equal(feedTopics("lab/pulses").status, "lab/status");
    assert.equal(feedTopics("pulses").summary, "summary");
    assert.equal(topicKind("ac_phys/workxp/summary"), "summary");
    assert.equal(topicKind(TOPICS.pulses), "other");
  });

  test("a summary says what analysePulse says, in a few hundred bytes of JSON", () => {
    const samples = new BeamSimulator({ seed: 5 }).nextPulse();
    const analysis = analysePulse(pulseFromSamples(samples));
    const summary = summarise(analysis, { seq: 1, time: new Date("2026-03-05T14:03:07.512Z"), scenario: "nominal" });
    const bytes = Buffer.from(JSON.stringify(summary));
    assert.ok(bytes.byteLength < 300, `${bytes.byteLength} bytes`);
    assert.deepEqual(parseSummary(bytes), summary);
    assert.equal(summary.hottestBlm, "R1BLM3");
    assert.ok(Math.abs(summary.survival! - analysis.survival) < 1e-4);
    assert.match(
      summaryLine(summary),
      /^pulse 1 at \d\d:\d\d:07\.512 \(nominal\): survival 9\d\.\d %, R5IM peak -3\.\d{3} V, hottest R1BLM3 0\.\d{4} V·ms$/,
    );
  });

  test("a message that is not a summary, a status or a request gets one line saying what is wrong", () => {
    const bytes = (text: string) => Buffer.from(text);
    assert.throws(() => parseSummary(bytes("beam off")), /^PayloadError: not a pulse summary: 8 bytes that are not JSON \("beam off"\)$/);
    assert.throws(() => parseSummary(bytes("[1,2]")), /not a pulse summary: JSON, but not an object/);
    assert.throws(() => parseSummary(bytes('{"seq":0}')), /"seq" should be a whole number > 0, but it is 0/);
    assert.throws(() => parseStatus(bytes('{"online":"yes"}')), /not a feed status: "online" should be true or false, but it is "yes"/);
    assert.throws(() => parseRequest(bytes('{"scenario":"sunny"}')), /"scenario" should be "nominal" or "bad-night", but it is "sunny"/);
    assert.throws(() => parseRequest(bytes("{}")), /but it is missing/);
    assert.deepEqual(parseRequest(bytes('{"scenario":"bad-night"}')), { scenario: "bad-night" });
  });
});

for (const [name, start] of [
  ["the embedded broker", () => startBroker()],
  ["a real Mosquitto", () => Mosquitto.start()],
] as const) {
  describe(`the feed's tree through ${name}`, () => {
    let broker: { url: string; close(): Promise<void> };
    before(async () => {
      broker = await start();
    });
    after(() => broker.close());

    test("ac_phys/workxp/# carries each pulse, its summary, and the retained status", async () => {
      const feed = await startFeed({ url: broker.url, rate: 20, seed: 3 });
      const tree = await new TreeRecorder(TOPICS.all, { url: broker.url, settings }).connect();
      await waitFor("6 summaries", () => tree.on(TOPICS.summary).length >= 6);
      await tree.disconnect();
      await feed.stop();

      const [status, ...more] = tree.on(TOPICS.status);
      assert.equal(more.length, 0);
      assert.equal(status!.retain, true, "the status was kept for us: we subscribed after it was published");
      assert.deepEqual(
        { ...parseStatus(status!.payload), time: "" },
        { online: true, rateHz: 20, scenario: "nominal", control: false, time: "" },
      );
      assert.equal(tree.got[0], status, "the retained status comes first");

      // Each summary describes the pulse before it, exactly as analysing that pulse here says.
      const pulses = tree.on(TOPICS.pulses);
      const summaries = tree.on(TOPICS.summary).map((m) => parseSummary(m.payload));
      for (let i = 1; i < summaries.length; i++) assert.equal(summaries[i]!.seq, summaries[i - 1]!.seq + 1);
      const index = tree.got.indexOf(tree.on(TOPICS.summary)[2]!);
      const pulse = tree.got[index - 1]!;
      assert.equal(pulse.topic, TOPICS.pulses);
      assert.equal(pulse.payload.byteLength, 704_000);
      const mine = summarise(analysePulse(decodePulse(pulse.payload)), { seq: 1, time: new Date(), scenario: "nominal" });
      assert.deepEqual({ ...summaries[2]!, seq: 1, time: "" }, { ...mine, time: "" });
      assert.ok(pulses.length >= summaries.length - 1);
    });

    test("a feed that stops cleanly leaves 'online': false, 'reason': 'stopped' retained for latecomers", async () => {
      const feed = await startFeed({ url: broker.url, rate: 5, scenario: "bad-night" });
      await feed.stop();
      const late = await new TreeRecorder(TOPICS.status, { url: broker.url, settings }).connect();
      await waitFor("the retained status", () => late.got.length === 1);
      await late.disconnect();
      assert.equal(late.got[0]!.retain, true);
      assert.deepEqual(
        { ...late.statuses()[0]!, time: "" },
        { online: false, rateHz: 5, scenario: "bad-night", control: false, reason: "stopped", time: "" },
      );
      assert.match(statusLine(late.statuses()[0]!), /^feed OFFLINE \(stopped\): was bad-night pulses at 5 Hz$/);
    });

    test("a feed whose network goes silent is announced by the broker: its last will, once the broker's keep-alive check gives up", async () => {
      const relay = await startRelay({ to: broker.url });
      const watcher = await new TreeRecorder(TOPICS.status, { url: broker.url, settings, qos: 1 }).connect();
      const feed = await startFeed({ url: relay.url, rate: 5, keepaliveS: 1 });
      await waitFor("the feed online", () => watcher.sinceOnline().length > 0);
      relay.cut(); // no FIN, no RST: only the broker's keep-alive check can tell
      // aedes gives up after 1.5 × the keep-alive; Debian's Mosquitto 2.0.11 was seen taking 4.7 s for 1 s (see docs/faults.md).
      await waitFor("the will", () => watcher.sinceOnline().length === 2, 10_000);
      const will = watcher.sinceOnline()[1]!;
      assert.equal(will.reason, "connection lost");
      assert.match(statusLine(will), /its last will, published by the broker/);
      await feed.stop();
      await relay.close();
      await watcher.disconnect();
    });

    test("with control: true, a request switches the scenario; a retained or malformed one is ignored with a reason", async () => {
      const notes: string[] = [];
      const client = await new TreeRecorder(TOPICS.all, { url: broker.url, settings }).connect();
      // A retained request would switch every feed that ever starts on this broker: the feed ignores it.
      await client.publish(TOPICS.control, '{"scenario":"bad-night"}', { qos: 1, retain: true });
      const feed = await startFeed({ url: broker.url, rate: 10, control: true, onError: (m) => notes.push(m) });
      await waitFor("the note about the retained request", () => notes.length >= 1);
      await client.publish(TOPICS.control, "", { qos: 1, retain: true }); // clears it
      await client.publish(TOPICS.control, "please", { qos: 1 });
      await waitFor("the note about the bad request", () => notes.some((n) => n.includes('"please"')));
      assert.equal(feed.scenario, "nominal");
      await client.publish(TOPICS.control, '{"scenario":"bad-night"}', { qos: 1 });
      await waitFor("the new status", () => client.statuses().some((s) => s.scenario === "bad-night"));
      const switched = client.got.length;
      await waitFor("bad-night summaries", () => client.got.slice(switched).some((m) => m.topic === TOPICS.summary));
      await client.disconnect();
      await feed.stop();
      assert.equal(feed.scenario, "bad-night");
      const later = client.got.slice(switched).filter((m) => m.topic === TOPICS.summary);
      assert.ok(later.every((m) => parseSummary(m.payload).scenario === "bad-night" && parseSummary(m.payload).survival! < 0.2));
      assert.match(notes[0]!, /^ignored a retained request on ac_phys\/workxp\/control: publish requests without retain$/);
      assert.ok(
        notes.includes('ignored a request on ac_phys/workxp/control: not a feed request: 6 bytes that are not JSON ("please")'),
        notes.join("\n"),
      );
    });

    test("without control, requests change nothing", async () => {
      const feed = await startFeed({ url: broker.url, rate: 10 });
      const client = await new MQTTClient(TOPICS.status, { url: broker.url, settings }).connect();
      await client.publish(TOPICS.control, '{"scenario":"bad-night"}', { qos: 1 });
      await client.disconnect();
      await feed.stop();
      assert.equal(feed.scenario, "nominal");
    });
  });
}

describe("npm run feed --url into Mosquitto, killed with SIGKILL", () => {
  let broker: Mosquitto;
  before(async () => {
    broker = await Mosquitto.start();
  });
  after(() => broker.close());

  test("a subscriber to the status topic gets 'online': false within 1.5 × the feed's keep-alive", { timeout: 60_000 }, async () => {
    const keepaliveS = 2;
    const watcher = await new TreeRecorder(TOPICS.status, { url: broker.url, settings, qos: 1 }).connect();
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/feed.ts", "--url", broker.url, "--rate", "10", "--keepalive", String(keepaliveS)],
      {
        env: { ...process.env, MQTT_URL: "", MQTT_TOPIC: "" },
        stdio: "ignore",
      },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await waitFor("the feed online", () => watcher.sinceOnline().length > 0, 20_000);
      child.kill("SIGKILL");
      await exited;
      await waitFor("the will", () => watcher.sinceOnline().length === 2, 1.5 * keepaliveS * 1000);
      assert.equal(watcher.sinceOnline()[1]!.reason, "connection lost");
    } finally {
      child.kill("SIGKILL");
      await watcher.disconnect();
    }
  });
});

describe("the built-in feed", () => {
  after(() => stopBuiltInFeed());

  test("asking for another scenario switches the running feed in place: the same broker, clients stay connected", async () => {
    const first = await startBuiltInFeed({ rate: 10 });
    const client = await new TreeRecorder(TOPICS.summary, { url: first.url, settings }).connect();
    const again = await startBuiltInFeed({ rate: 10, scenario: "bad-night" });
    assert.equal(again.url, first.url);
    await waitFor("a bad-night summary", () => client.got.some((m) => parseSummary(m.payload).scenario === "bad-night"));
    assert.equal(client.stats.connects, 1);
    assert.equal(client.connected, true);
    await client.disconnect();
    assert.equal(first.feed.scenario, "bad-night");
  });
});
