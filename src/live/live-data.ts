import { MQTTClient, sleep, type ClientOptions, type Message } from "../mqtt/client";
import { interruptCount } from "../kernel/session";
import { countNonFinite, decodePulse, type Pulse } from "../beam/decode";
import { NoDataError } from "../errors";
import type { Outage } from "../mqtt/outages";
import { redactUrl } from "../mqtt/settings";
import { Ring } from "../ring";

export interface LiveDataOptions extends ClientOptions {
  /** How many of the newest pulses to keep (default 10); older ones are counted but let go, so memory stays bounded. */
  keep?: number;
  /** Called for every pulse as it arrives. An error it throws is shown and counted in `callbackErrors`; the pulse is kept. */
  onPulse?: (pulse: Pulse, message: Message) => void;
}

/** What getLiveData received. */
export interface LiveData {
  readonly topic: string;
  /** The broker, without credentials. */
  readonly url: string;
  /** How long it listened: the seconds asked for, or fewer when the kernel was interrupted (■). */
  readonly seconds: number;
  /** Messages that arrived. */
  readonly received: number;
  /** Messages that were not a pulse (wrong size, too large). */
  readonly rejected: number;
  /** Errors thrown by onPulse (each was shown in the notebook as it happened). */
  readonly callbackErrors: number;
  /** The newest pulses, oldest first (at most `keep`). */
  readonly pulses: Pulse[];
  /** Good pulses that arrived but were not kept (beyond `keep`). */
  readonly dropped: number;
  /** Pulses that had NaN or ±Infinity samples: accepted (analysePulse skips those samples) but flagged here. */
  readonly nonFinitePulses: number;
  /** How often the client connected: more than 1 means the connection dropped and came back. */
  readonly connects: number;
  /** Each time the connection dropped: when, for how long, and about how many messages were missed. */
  readonly outages: readonly Outage[];
  /** Messages estimated missed during outages, in total. */
  readonly missed: number;
  /** Why messages were rejected or the connection had trouble (the latest few). */
  readonly errors: readonly string[];
}

/**
 * Connects, collects pulses for some seconds, disconnects cleanly and returns what arrived, with counts.
 * Uses MQTT_URL when set, otherwise the built-in feed. Interrupting the kernel (■) stops it at once, and it
 * returns what it collected so far.
 * @example
 * const data = await getLiveData("ac_phys/workxp/live_signals", 3);
 * console.log(`${data.received} messages, ${data.rejected} rejected, ${data.missed} missed`);
 */
export async function getLiveData(topic?: string, seconds = 5, options: LiveDataOptions = {}): Promise<LiveData> {
  if (!(seconds > 0 && Number.isFinite(seconds)))
    throw new RangeError(`invalid seconds: ${String(seconds)} (expected a number > 0, e.g. getLiveData(undefined, 3))`);
  const keep = options.keep ?? 10;
  if (!(Number.isInteger(keep) && keep >= 0)) throw new RangeError(`invalid keep: ${keep} (expected a whole number ≥ 0)`);
  const pulses = new Ring<Pulse>(keep);
  let nonFinitePulses = 0;
  const client = new MQTTClient(topic, options);
  client.onMessage = (message) => {
    const pulse = decodePulse(message.payload); // throws PayloadError: counted as rejected by the client
    try {
      options.onPulse?.(pulse, message);
    } catch (error) {
      client.callbackFailed("onPulse", error); // the student's bug, not the message's
    }
    if (countNonFinite(pulse.data) > 0) nonFinitePulses++;
    pulses.push(pulse);
  };
  await client.connect();
  const started = performance.now();
  const interrupts = interruptCount();
  try {
    await sleep(seconds * 1000); // ends early, without an error, on an interrupt
  } finally {
    await client.disconnect();
  }
  const listened = interruptCount() === interrupts ? seconds : Number(((performance.now() - started) / 1000).toFixed(1));
  return {
    topic: client.topic,
    url: redactUrl(client.url!),
    seconds: listened,
    received: client.stats.received,
    rejected: client.stats.rejected,
    callbackErrors: client.stats.callbackErrors,
    pulses: pulses.toArray(),
    dropped: pulses.pushed - pulses.length,
    nonFinitePulses,
    connects: client.stats.connects,
    outages: client.outages,
    missed: client.stats.missed,
    errors: [...client.errors],
  };
}

/**
 * The newest pulse getLiveData received.
 * @throws NoDataError saying where it listened and what arrived, when no pulse did.
 * @example const pulse = newestPulse(await getLiveData(undefined, 3));
 */
export function newestPulse(data: LiveData): Pulse {
  const pulse = data.pulses[data.pulses.length - 1];
  if (pulse) return pulse;
  const rejected = data.rejected
    ? ` (${data.received} messages arrived, ${data.rejected} were not pulses: ${data.errors.at(-1) ?? ""})`
    : "";
  throw new NoDataError(
    `no pulse arrived on ${data.topic} at ${data.url} in ${data.seconds} s${rejected}: is the feed publishing, and is the topic right?`,
  );
}

/**
 * Waits for the next message on a topic (default: MQTT_TOPIC or the course topic) and returns it.
 * @throws NoDataError when none arrives within `timeoutMs` (default 10 s); the client is closed either way.
 * @example const message = await nextMessage(); // message.payload: the 704,000 bytes of one pulse
 */
export async function nextMessage(topic?: string, options: ClientOptions & { timeoutMs?: number } = {}): Promise<Message> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let first: Message | undefined;
  const client = new MQTTClient(topic, options);
  client.onMessage = (message) => (first ??= message);
  await client.connect();
  const interrupts = interruptCount();
  try {
    for (const deadline = Date.now() + timeoutMs; !first && Date.now() < deadline && interruptCount() === interrupts;) await sleep(20);
  } finally {
    await client.disconnect();
  }
  if (!first && interruptCount() !== interrupts) throw new NoDataError(`stopped (■) before a message arrived on ${client.topic}`);
  if (!first) {
    throw new NoDataError(
      `no message arrived on ${client.topic} at ${redactUrl(client.url!)} in ${timeoutMs / 1000} s: is the feed publishing, and is the topic right?`,
    );
  }
  return first;
}
