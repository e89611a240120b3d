/**
 * src/feed/: the simulated ISIS feed — publishing pulses into a broker on a steady schedule (this file), the
 * built-in feed a notebook starts by itself (built-in.ts, which registers with mqtt/default-broker.ts), and the
 * feed as a separate program (separate.ts). It may import kernel/, beam/, mqtt/ and the cross-cutting files.
 */
import { connect as mqttConnect, type MqttClient } from "mqtt";
import { newClientId } from "../mqtt/client-id";
import { endForGood, GOODBYE_MS, trackAttempts, waitForFirstConnect } from "../mqtt/attempts";
import { explainConnectionError } from "../mqtt/connection-errors";
import { connectionContext, connectionOptions, KEEPALIVE_S, type Credentials } from "../mqtt/options";
import { SizeGuard } from "../mqtt/size-guard";
import { analysePulse } from "../beam/analysis";
import { encodePulse, pulseFromSamples } from "../beam/decode";
import { encodeEnvelope } from "../beam/envelope";
import { PULSE_BYTES } from "../beam/layout";
import { DEFAULT_TOPIC } from "../mqtt/settings";
import { BeamSimulator, SCENARIOS, type Scenario } from "../beam/simulator";
import { messageOf } from "../errors";
import { SlotSchedule } from "./schedule";
import { feedTopics, parseRequest, summarise, type FeedStatus, type FeedTopics } from "./topics";

export interface FeedOptions {
  /** The broker to publish into, e.g. the embedded broker's url. */
  url: string;
  /** The pulse topic; default ac_phys/workxp/live_signals. The summary, status and control topics are its siblings. */
  topic?: string;
  /** Pulses per second: 1 like the course feed (default), 50 like the machine. */
  rate?: number;
  /**
   * Publish the raw pulse on every Nth pulse only (default 1: every one); the summary and the envelope go out for
   * every pulse. A classroom runs the machine at 50 Hz for its compact topics and sends the 704,000-byte pulses at
   * 1 Hz: pulseEvery 50.
   */
  pulseEvery?: number;
  /** Also publish each pulse's envelope (7,040 bytes, src/beam/envelope.ts) on the envelope topic. */
  envelope?: boolean;
  scenario?: Scenario;
  seed?: number;
  /** Obey requests such as {"scenario": "bad-night"} on the control topic (default false: the real feed has none). */
  control?: boolean;
  /**
   * Seconds between the feed's keep-alive pings (default 15). A feed that dies without a word is announced by the
   * broker (its last will on the status topic) once it has been silent for 1.5 × this.
   */
  keepaliveS?: number;
  /** Credentials and CA, for a broker that needs them. */
  settings?: Credentials;
  /** Told about connection problems and ignored requests (the feed keeps going). Default: ignore. */
  onError?: (message: string) => void;
  /** Called with each pulse's samples right after it is handed to the broker (e.g. to time its journey). */
  onPublish?: (samples: Float64Array) => void;
}

/** A running simulated feed. */
export interface Feed {
  readonly url: string;
  /** The pulse topic (also feed.topics.pulses). */
  readonly topic: string;
  /** Where it publishes pulses, summaries and its status, and listens for requests. */
  readonly topics: FeedTopics;
  readonly rate: number;
  /** What it simulates now (requests on the control topic and setScenario() change it). */
  readonly scenario: Scenario;
  /** Pulses made and published (with pulseEvery N, the raw bytes of only every Nth; the summary of each). */
  readonly published: number;
  /** Pulse slots not sent: the broker was away, the socket was still busy, or the process was too late. */
  readonly skipped: number;
  /** Whether the feed is connected to its broker right now. */
  readonly connected: boolean;
  /**
   * Bytes waiting to go out: the socket's buffer plus anything mqtt.js queued. Never more than about two
   * pulses, also while the broker is away (the feed skips, it does not queue).
   */
  readonly backlogBytes: number;
  /** Simulates another scenario from the next pulse on, and publishes the new status. */
  setScenario(scenario: Scenario): void;
  /** Publishes "online": false on the status topic (retained), then disconnects. Safe to call twice. */
  stop(): Promise<void>;
}

/** Most bytes allowed to wait in the socket before a pulse is skipped: two pulses. */
const MAX_BUFFERED_BYTES = 2 * PULSE_BYTES;
/** The largest request the feed reads from its control topic; anything larger is dropped unread. */
const MAX_REQUEST_BYTES = 4096;

/**
 * Publishes simulated ISIS pulses into a broker at a steady rate, with the topic tree around them: a summary of
 * each pulse, and a retained status whose last will tells subscribers when the feed has died. The schedule is
 * drift-free (slot n is due at start + n / rate) and never catches up in a burst: late or offline slots are
 * skipped and counted, so nothing queues while the broker is away (see SlotSchedule). The summary costs an analysis
 * of each pulse: 2.33 against 1.94 ms of CPU per pulse (1.20 ×; +1.9 % of a core at 50 Hz), `npm run bench:feed`.
 * @example
 * const feed = await startFeed({ url: broker.url, rate: 50 });
 * // … later
 * await feed.stop();
 */
export async function startFeed(options: FeedOptions): Promise<Feed> {
  const rate = options.rate ?? 1;
  if (!(rate > 0 && rate <= 1000)) throw new RangeError(`invalid rate: ${rate} pulses per second (expected 0 < rate ≤ 1000)`);
  const keepalive = options.keepaliveS ?? KEEPALIVE_S;
  if (!(Number.isInteger(keepalive) && keepalive >= 1 && keepalive <= 3600)) {
    throw new RangeError(`invalid keep-alive: ${keepalive} s (expected a whole number of seconds, 1 to 3600)`);
  }
  const topic = options.topic ?? DEFAULT_TOPIC;
  const pulseEvery = options.pulseEvery ?? 1;
  if (!(Number.isInteger(pulseEvery) && pulseEvery >= 1)) {
    throw new RangeError(`invalid pulseEvery: ${pulseEvery} (expected a whole number ≥ 1)`);
  }
  const topics = feedTopics(topic);
  const control = options.control ?? false;
  const onError = options.onError ?? (() => {});
  let simulator = new BeamSimulator({ scenario: options.scenario, seed: options.seed });
  const status = (online: boolean, reason?: FeedStatus["reason"]): Buffer => {
    const s: FeedStatus = { online, rateHz: rate, scenario: simulator.scenario, time: new Date().toISOString(), control, reason };
    return Buffer.from(JSON.stringify(s));
  };
  const will = () => ({ topic: topics.status, payload: status(false, "connection lost"), qos: 1 as const, retain: true });

  const credentials: Credentials = options.settings ?? {};
  const client: MqttClient = mqttConnect(
    options.url,
    connectionOptions({
      clientId: newClientId("isis-feed", credentials.username ?? null),
      credentials,
      connectTimeoutMs: 5000,
      overrides: { keepalive, will: will() },
    }),
  );
  const context = connectionContext(credentials);
  // The feed reads only small requests: anything larger on the control topic is dropped as it streams in.
  const attempt = trackAttempts(
    client,
    () => new SizeGuard(MAX_REQUEST_BYTES, (m) => onError(`ignored a ${m.bytes}-byte message on ${m.topic}: too large`)),
  );
  client.on("error", (error) => onError(explainConnectionError(error, options.url, context)));
  const announce = () => client.publish(topics.status, status(true), { qos: 1, retain: true }, () => {});
  client.on("connect", () => {
    announce(); // on every (re)connect: the broker may have published the will meanwhile
    if (control) client.subscribe(topics.control, { qos: 0 }, () => {});
  });
  client.on("message", (messageTopic, payload, packet) => {
    if (messageTopic !== topics.control) return;
    // A retained request would switch every feed that ever starts on this broker: only live requests count.
    if (packet.retain) return onError(`ignored a retained request on ${messageTopic}: publish requests without retain`);
    try {
      feed.setScenario(parseRequest(payload).scenario);
    } catch (error) {
      onError(`ignored a request on ${messageTopic}: ${messageOf(error)}`);
    }
  });

  let stopped = false;
  // Made before connecting, as the feed's clock starts now: slots due while connecting count as skipped.
  const schedule = new SlotSchedule(rate);
  const publish = () => {
    const busy = (client.stream?.writableLength ?? 0) > MAX_BUFFERED_BYTES;
    if (!client.connected || busy) return false; // skipped: nothing is queued while the broker is away
    const seq = schedule.sent + 1;
    const samples = simulator.nextPulse();
    if ((seq - 1) % pulseEvery === 0) {
      client.publish(topic, Buffer.from(encodePulse(samples).buffer), { qos: 0 });
      options.onPublish?.(samples);
    }
    const pulse = pulseFromSamples(samples);
    if (options.envelope) client.publish(topics.envelope, Buffer.from(encodeEnvelope(pulse).buffer), { qos: 0 });
    const summary = summarise(analysePulse(pulse), { seq, time: new Date(), scenario: simulator.scenario });
    client.publish(topics.summary, JSON.stringify(summary), { qos: 0 });
    return true;
  };
  client.connect();
  try {
    await waitForFirstConnect(client, options.url, 5000, context, attempt);
  } catch (error) {
    await endForGood(client, true);
    throw error; // a ConnectionError with a one-line reason
  }
  schedule.run(publish);

  let stopping: Promise<void> | undefined;
  const feed: Feed = {
    url: options.url,
    topic,
    topics,
    rate,
    get scenario() {
      return simulator.scenario;
    },
    get published() {
      return schedule.sent;
    },
    get skipped() {
      return schedule.skipped;
    },
    get connected() {
      return client.connected;
    },
    get backlogBytes() {
      const queued = client.queue.reduce((sum, { packet }) => sum + ((packet as { payload?: { length: number } }).payload?.length ?? 0), 0);
      return (client.stream?.writableLength ?? 0) + queued;
    },
    setScenario(scenario) {
      if (!SCENARIOS.includes(scenario))
        throw new RangeError(`unknown scenario: ${JSON.stringify(scenario)} (expected ${SCENARIOS.join(" or ")})`);
      if (scenario === simulator.scenario || stopped) return;
      simulator = new BeamSimulator({ scenario, seed: options.seed });
      client.options.will = will(); // a will made now names the new scenario (mqtt.js sends it at each reconnect)
      if (client.connected) announce();
    },
    stop() {
      if (!stopping) {
        stopped = true;
        schedule.stop();
        stopping = (async () => {
          if (client.connected) await goodbye(client, topics.status, status(false, "stopped"));
          // A broker that is away cannot take a DISCONNECT packet: then close at once rather than wait for ever.
          await endForGood(client, !client.connected);
        })();
      }
      return stopping;
    },
  };
  return feed;
}

/** Publishes the offline status and waits (at most GOODBYE_MS, as long as a DISCONNECT may take) for the broker to take it. */
function goodbye(client: MqttClient, topic: string, payload: Buffer): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, GOODBYE_MS);
    client.publish(topic, payload, { qos: 1, retain: true }, () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
