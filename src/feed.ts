import { connect as mqttConnect, type MqttClient } from "mqtt";
import { newClientId } from "./client-id";
import { explainConnectionError } from "./connection-errors";
import { encodePulse } from "./decode";
import { PULSE_BYTES } from "./layout";
import { DEFAULT_TOPIC, readCa, type Settings } from "./settings";
import { BeamSimulator, type Scenario } from "./simulator";

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
  settings?: Partial<Pick<Settings, "username" | "password" | "caFile">>;
  /** Told about connection problems (the feed keeps trying). Default: ignore. */
  onError?: (message: string) => void;
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
  const settings: FeedOptions["settings"] = options.settings ?? {};
  const client: MqttClient = mqttConnect(options.url, {
    clientId: newClientId("isis-feed"),
    protocolVersion: 4,
    reconnectPeriod: 1000,
    connectTimeout: 5000,
    queueQoSZero: false,
    username: settings.username,
    password: settings.password,
    ca: readCa(settings.caFile),
  });
  client.on("error", (error) => options.onError?.(explainConnectionError(error, options.url)));

  const periodMs = 1000 / rate;
  const start = performance.now();
  let slot = 0;
  let published = 0;
  let skipped = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = () => {
    const now = performance.now();
    const due = Math.floor((now - start) / periodMs); // the slot we are in now
    if (due > slot) skipped += due - slot; // we woke too late for these: skip, never burst
    slot = due + 1;
    const busy = (client.stream?.writableLength ?? 0) > MAX_BUFFERED_BYTES;
    if (client.connected && !busy) {
      client.publish(topic, Buffer.from(encodePulse(simulator.nextPulse()).buffer), { qos: 0 });
      published++;
    } else skipped++;
    if (!stopped) {
      timer = setTimeout(tick, Math.max(0, start + slot * periodMs - performance.now()));
      timer.unref(); // a feed alone never keeps a process alive
    }
  };
  await new Promise<void>((resolve, reject) => {
    const giveUp = setTimeout(() => {
      client.end(true);
      reject(new Error(`the feed cannot connect to ${options.url} within 5 s`));
    }, 5000);
    client.once("connect", () => {
      clearTimeout(giveUp);
      resolve();
    });
  });
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
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        stopped = true;
        clearTimeout(timer);
        client.end(false, {}, () => resolve());
      });
      return stopping;
    },
  };
}
