import { MQTTClient, sleep, type ClientOptions, type Message } from "./client";
import { countNonFinite, decodePulse, type Pulse } from "./decode";
import type { Outage } from "./outages";
import { redactUrl } from "./settings";

export interface LiveDataOptions extends ClientOptions {
  /** How many of the newest pulses to keep (default 10); older ones are counted but let go, so memory stays bounded. */
  keep?: number;
  /** Called for every pulse as it arrives (errors it throws reject that message, and are counted). */
  onPulse?: (pulse: Pulse, message: Message) => void;
}

/** What getLiveData received. */
export interface LiveData {
  readonly topic: string;
  /** The broker, without credentials. */
  readonly url: string;
  readonly seconds: number;
  /** Messages that arrived. */
  readonly received: number;
  /** Messages that were not a pulse (wrong size, too large) or that onPulse rejected. */
  readonly rejected: number;
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
 * Uses MQTT_URL when set, otherwise the built-in feed. Interrupting the kernel stops it at once.
 * @example
 * const data = await getLiveData("ac_phys/workxp/live_signals", 3);
 * console.log(`${data.received} messages, ${data.rejected} rejected, ${data.missed} missed`);
 */
export async function getLiveData(topic?: string, seconds = 5, options: LiveDataOptions = {}): Promise<LiveData> {
  if (!(seconds > 0 && Number.isFinite(seconds))) throw new RangeError(`invalid seconds: ${seconds} (expected a number > 0)`);
  const keep = options.keep ?? 10;
  if (!(Number.isInteger(keep) && keep >= 0)) throw new RangeError(`invalid keep: ${keep} (expected a whole number ≥ 0)`);
  const pulses: Pulse[] = [];
  let dropped = 0;
  let nonFinitePulses = 0;
  const client = new MQTTClient(topic, options);
  client.onMessage = (message) => {
    const pulse = decodePulse(message.payload); // throws PayloadError: counted as rejected by the client
    options.onPulse?.(pulse, message);
    if (countNonFinite(pulse.data) > 0) nonFinitePulses++;
    pulses.push(pulse);
    if (pulses.length > keep) {
      pulses.shift();
      dropped++;
    }
  };
  await client.connect();
  try {
    await sleep(seconds * 1000);
  } finally {
    await client.disconnect();
  }
  return {
    topic: client.topic,
    url: redactUrl(client.url!),
    seconds,
    received: client.stats.received,
    rejected: client.stats.rejected,
    pulses,
    dropped,
    nonFinitePulses,
    connects: client.stats.connects,
    outages: client.outages,
    missed: client.stats.missed,
    errors: [...client.errors],
  };
}
