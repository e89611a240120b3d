/**
 * The one place where our connections' mqtt.js options are made, for the lesson's client and the feed alike:
 * MQTT 3.1.1, nothing queued while offline, credentials and CA from the settings, connected by hand.
 */
import type { IClientOptions } from "mqtt";
import type { ConnectionContext } from "./connection-errors";
import { readCa, type Settings } from "./settings";

/** Credentials and CA, for a broker that needs them. */
export type Credentials = Partial<Pick<Settings, "username" | "password" | "caFile">>;

/** The first reconnect comes 1 s after a drop (the client doubles it after each failed attempt). */
export const FIRST_RECONNECT_MS = 1000;
/**
 * Seconds between keep-alive pings. A connection that goes silent (Wi-Fi dropped, no TCP reset) is noticed after
 * 1.5 × this: 22.5 s rather than mqtt.js's 90 s, for a ping of 2 bytes every 15 s.
 */
export const KEEPALIVE_S = 15;

export interface ConnectionOptions {
  clientId: string;
  credentials: Credentials;
  /** How long one attempt may take, in ms. */
  connectTimeoutMs: number;
  /** Applied last: e.g. a client's `mqtt` option, or a feed's last will. */
  overrides?: IClientOptions;
}

/** mqtt.js options for one of our connections. */
export function connectionOptions({ clientId, credentials, connectTimeoutMs, overrides }: ConnectionOptions): IClientOptions {
  return {
    clientId,
    protocolVersion: 4, // MQTT 3.1.1: what aedes speaks, and every broker accepts
    clean: true,
    keepalive: KEEPALIVE_S,
    reconnectPeriod: FIRST_RECONNECT_MS,
    connectTimeout: connectTimeoutMs,
    queueQoSZero: false, // never pile up messages while offline: mqtt.js would keep every QoS 0 publish
    username: credentials.username,
    password: credentials.password,
    ca: readCa(credentials.caFile),
    ...overrides,
    manualConnect: true, // so that each stream can be followed (and guarded) before its first byte arrives
  };
}

/** What sharpens the advice when a connection fails (never printed as such). */
export function connectionContext(credentials: Credentials): ConnectionContext {
  return { hasUsername: credentials.username !== undefined, hasCa: credentials.caFile !== undefined };
}
