import { connect as mqttConnect, type MqttClient } from "mqtt";
import { newClientId } from "../mqtt/client-id";
import { endForGood, trackAttempts, waitForFirstConnect } from "../mqtt/attempts";
import { explainConnectionError } from "../mqtt/connection-errors";
import { connectionContext, connectionOptions, type Credentials } from "../mqtt/options";
import { encodePulse } from "../beam/decode";
import { PULSE_BYTES } from "../beam/layout";
import { DEFAULT_TOPIC } from "../mqtt/settings";
import { BeamSimulator, type Scenario } from "../beam/simulator";

export interface FeedOptions {
  /** The broker to publish into, e.g. the embedded broker's url. */
  url: string;
  /** Default: ac_phys/workxp/live_signals. */
  topic?: string;
  /** Pulses per second: 1 like the course feed (default), 50 like the machine. */
  rate?: number;
  scenario?: Scenario;
  seed?: number;
  /** Credentials and CA, for a broker that needs them. */
  settings?: Credentials;
  /** Told about connection problems (the feed keeps trying). Default: ignore. */
  onError?: (message: string) => void;
  /** Called with each pulse's samples right after it is handed to the broker (e.g. to time its journey). */
  onPublish?: (samples: Float64Array) => void;
}

/** A running simulated feed. */
export interface Feed {
  readonly url: string;
  readonly topic: string;
  readonly rate: number;
  /** Pulses handed to the broker. */
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
  /** Stops publishing and disconnects. Safe to call twice. */
  stop(): Promise<void>;
}

/** Most bytes allowed to wait in the socket before a pulse is skipped: two pulses. */
const MAX_BUFFERED_BYTES = 2 * PULSE_BYTES;

/**
 * Publishes simulated ISIS pulses into a broker at a steady rate. The schedule is drift-free
 * (slot n is due at start + n / rate) and never catches up in a burst: late or offline slots are
 * skipped and counted, so nothing queues while the broker is away.
 * @example
 * const feed = await startFeed({ url: broker.url, rate: 50 });
 * // … later
 * await feed.stop();
 */
export async function startFeed(options: FeedOptions): Promise<Feed> {
  const rate = options.rate ?? 1;
  if (!(rate > 0 && rate <= 1000)) throw new RangeError(`invalid rate: ${rate} pulses per second (expected 0 < rate ≤ 1000)`);
  const topic = options.topic ?? DEFAULT_TOPIC;
  const simulator = new BeamSimulator({ scenario: options.scenario, seed: options.seed });
  const credentials: Credentials = options.settings ?? {};
  const client: MqttClient = mqttConnect(
    options.url,
    connectionOptions({ clientId: newClientId("isis-feed"), credentials, connectTimeoutMs: 5000 }),
  );
  const context = connectionContext(credentials);
  const attempt = trackAttempts(client);
  client.on("error", (error) => options.onError?.(explainConnectionError(error, options.url, context)));

  const periodMs = 1000 / rate;
  const start = performance.now();
  let slot = 0;
  let published = 0;
  let skipped = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = () => {
    const due = Math.floor((performance.now() - start) / periodMs); // the slot we are in now
    // A timer may fire a little early (due < slot): then the slot is not due yet, only wait again.
    if (due >= slot) {
      if (due > slot) skipped += due - slot; // we woke too late for these: skip, never burst
      slot = due + 1;
      const busy = (client.stream?.writableLength ?? 0) > MAX_BUFFERED_BYTES;
      if (client.connected && !busy) {
        const samples = simulator.nextPulse();
        client.publish(topic, Buffer.from(encodePulse(samples).buffer), { qos: 0 });
        published++;
        options.onPublish?.(samples);
      } else skipped++;
    }
    if (!stopped) {
      timer = setTimeout(tick, Math.max(1, Math.ceil(start + slot * periodMs - performance.now())));
      timer.unref(); // a feed alone never keeps a process alive
    }
  };
  client.connect();
  try {
    await waitForFirstConnect(client, options.url, 5000, context, attempt);
  } catch (error) {
    await endForGood(client, true);
    throw error; // a ConnectionError with a one-line reason
  }
  tick();

  let stopping: Promise<void> | undefined;
  return {
    url: options.url,
    topic,
    rate,
    get published() {
      return published;
    },
    get skipped() {
      return skipped;
    },
    get connected() {
      return client.connected;
    },
    get backlogBytes() {
      const queued = client.queue.reduce((sum, { packet }) => sum + ((packet as { payload?: { length: number } }).payload?.length ?? 0), 0);
      return (client.stream?.writableLength ?? 0) + queued;
    },
    stop() {
      if (!stopping) {
        stopped = true;
        clearTimeout(timer);
        // A broker that is away cannot take a DISCONNECT packet: then close at once rather than wait for ever.
        stopping = endForGood(client, !client.connected);
      }
      return stopping;
    },
  };
}
