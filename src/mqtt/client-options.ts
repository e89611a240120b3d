/** What an MQTTClient can be asked for (its options) and what it counts (its stats). */
import type { IClientOptions } from "mqtt";
import type { QoS, Will } from "./delivery";
import type { Settings } from "./settings";

/** What a client has seen so far. */
export interface ClientStats {
  connects: number;
  disconnects: number;
  received: number;
  /**
   * Messages that were not accepted: not a pulse (onMessage threw a PayloadError, as decodePulse does) or too
   * large. Counted, and the stream goes on.
   */
  rejected: number;
  published: number;
  /**
   * Errors thrown by a callback (a bug in onMessage, onConnect …; any error but a PayloadError): shown in the
   * notebook as they happen, listed in `errors`, counted here, never counted as rejected messages.
   */
  callbackErrors: number;
  /** Publishes and subscriptions the broker refused (a classroom broker's rules), each also printed as one line. */
  readonly refused: number;
  /** Messages larger than maxMessageBytes: dropped unread (also counted in received and rejected). */
  readonly oversized: number;
  /** Times the connection dropped while the client wanted it (see client.outages). */
  readonly outages: number;
  /** Time spent without a connection during outages, in ms. */
  readonly downMs: number;
  /** Messages estimated missed during outages (see Outage.missed). */
  readonly missed: number;
}

export interface ClientOptions {
  /** Broker URL; default MQTT_URL, or the built-in feed when that is unset. */
  url?: string;
  /** Default: newClientId(), unique per client; it starts with the user name when there is one (MQTT_USERNAME). */
  clientId?: string;
  /**
   * A name for this client in the notebook. Connecting a client disconnects an earlier one with the same name,
   * so re-running the cell that makes it never leaves two printing. Example: { name: "printer" }.
   */
  name?: string;
  /** How long connect() waits for the broker before giving up, in ms (default 5000). */
  connectTimeoutMs?: number;
  /**
   * Largest message accepted, in bytes (default 1 MiB; one pulse is 704,000). Larger messages are dropped as
   * they stream in, never held in memory, and counted as rejected and oversized.
   */
  maxMessageBytes?: number;
  /**
   * true: a message's payload (and a pulse decoded from it, which is a view of it) is valid only until onMessage
   * returns; then its memory may hold a later message. For a consumer that keeps nothing of a message, as
   * `npm run listen` does: at 50 pulses a second it saves a quarter of the CPU (src/mqtt/payload-pool.ts). An
   * onMessage that returns a Promise keeps its payload. Default false.
   */
  recyclePayloads?: boolean;
  /** The QoS of the subscription onConnect makes (default 0). */
  qos?: QoS;
  /**
   * false: ask the broker to keep this client's session (its subscriptions and the QoS 1 and 2 messages that
   * arrive while it is away) until it connects again with the same clientId. Default true: a fresh start each time.
   */
  clean?: boolean;
  /** The last will: published by the broker if this client's connection ends without a DISCONNECT. */
  will?: Will;
  /** Settings to use instead of the environment (tests, tools). */
  settings?: Settings;
  /** Extra mqtt.js options, e.g. { keepalive: 30 }. */
  mqtt?: IClientOptions;
}
