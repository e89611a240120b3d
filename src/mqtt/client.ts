import { inspect } from "node:util";
import { connect as mqttConnect, type IClientOptions, type MqttClient } from "mqtt";
import { newClientId } from "./client-id";
import { defaultBrokerUrl } from "./default-broker";
import { endForGood, trackAttempts, waitForFirstConnect } from "./attempts";
import { explainConnectionError } from "./connection-errors";
import { connectionContext, connectionOptions, FIRST_RECONNECT_MS } from "./options";
import { ConnectionError, messageOf } from "../errors";
import { Ring } from "../ring";
import { OutageLog, type Outage } from "./outages";
import { register, unregister } from "../kernel/session";
import { checkTopic, readSettings, redactUrl, type Settings } from "./settings";
import { SizeGuard, type OversizedMessage } from "./size-guard";

export { sleep } from "../kernel/session";

/** One message as it arrived. */
export interface Message {
  /** The topic it was published on: with a wildcard subscription, route by it. */
  readonly topic: string;
  /** The raw bytes. For the ISIS feed: 704,000 bytes, one pulse. */
  readonly payload: Buffer;
  /** When it arrived (ms since 1970, Date.now()). */
  readonly receivedAt: number;
  /** 1 for the first message this client received, then 2, 3 … */
  readonly seq: number;
}

/** A message that was not accepted, and why. Its bytes are not kept. */
export interface Rejection {
  readonly seq: number;
  readonly topic: string;
  /** Size of the payload in bytes. */
  readonly bytes: number;
  /** One line, e.g. "message too short: 23 bytes, … expected 704000 bytes". */
  readonly reason: string;
}

/** What a client has seen so far. */
export interface ClientStats {
  connects: number;
  disconnects: number;
  received: number;
  /** Messages whose onMessage threw (e.g. a payload that is not a pulse) or that were too large: counted, and the stream goes on. */
  rejected: number;
  published: number;
  /** Errors thrown by callbacks other than onMessage. */
  callbackErrors: number;
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
  /** Default: newClientId(), unique per client. */
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
  /** Settings to use instead of the environment (tests, tools). */
  settings?: Settings;
  /** Extra mqtt.js options, e.g. { keepalive: 30 }. */
  mqtt?: IClientOptions;
}

/** How many recent error messages a client keeps (older ones are dropped; the counts keep growing). */
const ERRORS_KEPT = 20;
/** Reconnect delays grow from 1 s, doubling, to at most this (ms): a broker that restarts is not hammered. */
const MAX_RECONNECT_MS = 8000;
/** Default largest message: room for a pulse (704,000 bytes) and more, far less than a runaway publisher's. */
const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * An MQTT client with the four callbacks of the lesson: onConnect, onDisconnect, onPublish, onMessage.
 * Subclass it and override them, or assign them on an instance. onConnect subscribes to the topic,
 * so that every reconnect subscribes again. Errors thrown in a callback are caught and counted: a bad
 * message never stops the stream. When the connection drops, the client reconnects by itself (after 1 s,
 * 2 s, 4 s, 8 s, 8 s …) and records the outage in `outages`.
 * @example
 * class Printer extends MQTTClient {
 *   override onMessage(message: Message) { console.log(message.topic, message.payload.length, "bytes"); }
 * }
 * const client = new Printer("ac_phys/workxp/live_signals", { name: "printer" });
 * await client.connect();
 * await sleep(3000);
 * await client.disconnect();
 */
export class MQTTClient {
  readonly topic: string;
  readonly clientId: string;
  /** The name given in the options, if any (see ClientOptions.name). */
  readonly name: string | undefined;
  readonly stats: ClientStats;
  private readonly errorLines = new Ring<string>(ERRORS_KEPT);
  /** The broker URL once connect() has been called (without credentials). */
  url: string | undefined;
  private client: MqttClient | undefined;
  private readonly options: ClientOptions;
  private readonly log = new OutageLog();
  private oversized = 0;
  private dropReason: string | undefined;

  constructor(topic?: string, options: ClientOptions = {}) {
    const settings = options.settings ?? readSettings();
    this.topic = topic ?? settings.topic;
    checkTopic(this.topic);
    this.clientId = options.clientId ?? newClientId();
    this.name = options.name;
    const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!(Number.isInteger(max) && max > 0)) throw new RangeError(`invalid maxMessageBytes: ${max} (expected a whole number > 0)`);
    this.options = { ...options, settings, maxMessageBytes: max };
    const stats = { connects: 0, disconnects: 0, received: 0, rejected: 0, published: 0, callbackErrors: 0 };
    const log = this.log;
    this.stats = Object.defineProperties(stats, {
      oversized: { enumerable: true, get: () => this.oversized },
      outages: { enumerable: true, get: () => log.count },
      downMs: { enumerable: true, get: () => log.list().reduce((sum, o) => sum + o.downMs, 0) },
      missed: { enumerable: true, get: () => log.list().reduce((sum, o) => sum + (o.missed ?? 0), 0) },
    }) as ClientStats;
  }

  /** Called on every (re)connect. Subscribes to the topic: keep that line when you override it. */
  onConnect(): void {
    void this.subscribe(this.topic);
  }
  /** Called when the connection drops or is closed. */
  onDisconnect(): void {}
  /** Called when a message we published has gone to the broker. */
  onPublish(_topic: string, _payload: Uint8Array): void {}
  /** Called for every message on a subscribed topic. */
  onMessage(_message: Message): void {}
  /** Called for a message that onMessage rejected (threw) or that was too large; the stream goes on. */
  onReject(_rejection: Rejection): void {}

  /** The latest error messages, newest last (at most 20; a repeated line ends in "(×N)"). */
  get errors(): string[] {
    return this.errorLines.toArray();
  }

  /** Whether the client is connected right now. */
  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** The times the connection dropped, oldest first (at most 50): when, for how long, and how many messages were missed. */
  get outages(): Outage[] {
    return this.log.list();
  }

  /**
   * Connects and resolves once the broker has accepted us (and onConnect has run).
   * @throws ConnectionError with a one-line reason if the broker cannot be reached within the time limit,
   * refuses our credentials, or its certificate is not trusted.
   */
  async connect(): Promise<this> {
    if (this.client) throw new ConnectionError(`client ${this.clientId} is already connected or connecting; call disconnect() first`);
    const settings = this.options.settings!;
    const url = this.options.url ?? (await defaultBrokerUrl(settings));
    this.url = redactUrl(url);
    const timeoutMs = this.options.connectTimeoutMs ?? 5000;
    const context = connectionContext(settings);
    await register(this); // a client of the same name stops here
    const options = connectionOptions({
      clientId: this.clientId,
      credentials: settings,
      connectTimeoutMs: timeoutMs,
      overrides: this.options.mqtt,
    });
    const client = mqttConnect(url, options);
    const firstPeriod = client.options.reconnectPeriod ?? FIRST_RECONNECT_MS;
    // Every stream mqtt.js opens goes through a SizeGuard: whole packets to the parser, oversized ones dropped unread.
    const attempt = trackAttempts(client, () => new SizeGuard(this.options.maxMessageBytes!, (m) => this.tooLarge(m)));
    this.client = client;
    client.on("connect", () => {
      this.stats.connects++;
      client.options.reconnectPeriod = firstPeriod; // the next outage starts again at 1 s
      if (this.log.down) {
        this.log.reconnected(Date.now());
        const last = this.log.list().at(-1)!;
        this.remember(`connected again after ${(last.downMs / 1000).toFixed(1)} s (${last.attempts} reconnect attempts)`);
      }
      this.safely("onConnect", () => this.onConnect());
    });
    client.on("close", () => {
      const wanted = this.client === client; // disconnect() clears this.client first
      if (wanted && this.stats.connects > 0 && !this.log.down) {
        const reason = this.dropReason ?? `${redactUrl(url)} closed the connection`;
        this.log.dropped(Date.now(), reason);
        this.remember(`connection lost: ${reason}; reconnecting`);
      }
      this.dropReason = undefined;
      if (this.stats.connects > this.stats.disconnects) {
        this.stats.disconnects++;
        this.safely("onDisconnect", () => this.onDisconnect());
      }
    });
    client.on("reconnect", () => {
      this.log.attempt();
      client.options.reconnectPeriod = Math.min(MAX_RECONNECT_MS, (client.options.reconnectPeriod ?? FIRST_RECONNECT_MS) * 2);
    });
    client.on("message", (topic, payload) => {
      const message: Message = { topic, payload, receivedAt: Date.now(), seq: ++this.stats.received };
      this.log.arrival(message.receivedAt);
      try {
        this.onMessage(message);
      } catch (error) {
        this.reject(message.seq, topic, payload.byteLength, messageOf(error));
      }
    });
    client.on("error", (error) => {
      const line = explainConnectionError(error, url, context);
      this.dropReason = line;
      this.remember(line);
    });

    try {
      client.connect();
      await waitForFirstConnect(client, url, timeoutMs, context, attempt);
    } catch (error) {
      this.client = undefined;
      unregister(this);
      await endForGood(client, true);
      throw new ConnectionError(this.scrub(messageOf(error)));
    }
    return this;
  }

  /** Subscribes to a topic or a filter with wildcards (+ one level, # all the rest). */
  async subscribe(topic: string): Promise<void> {
    checkTopic(topic);
    const client = this.requireClient("subscribe");
    try {
      await client.subscribeAsync(topic, { qos: 0 });
    } catch (error) {
      this.remember(`subscribe to ${topic} failed: ${messageOf(error)}`);
    }
  }

  /**
   * Publishes bytes or text to a topic; onPublish runs once it has gone to the broker.
   * @throws ConnectionError while the connection is down: the message is not queued.
   */
  async publish(topic: string, payload: Uint8Array | string): Promise<void> {
    const client = this.requireClient("publish");
    const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
    try {
      await client.publishAsync(topic, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { qos: 0 });
    } catch (error) {
      // Offline, mqtt.js refuses QoS 0 messages rather than queue them (queueQoSZero: false).
      const why = client.connected ? messageOf(error) : `not connected to ${this.url} right now (reconnecting)`;
      throw new ConnectionError(this.scrub(`cannot publish to ${topic}: ${why}`));
    }
    this.stats.published++;
    this.safely("onPublish", () => this.onPublish(topic, bytes));
  }

  /** Disconnects cleanly; onDisconnect runs. Safe to call when not connected. */
  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    unregister(this);
    this.log.stopped(Date.now());
    if (!client) return;
    // A broker that is away cannot take a DISCONNECT packet: then close at once rather than wait.
    await endForGood(client, !client.connected);
  }

  /** What a notebook shows for `client`: never the password, never mqtt.js's insides. */
  [inspect.custom](): string {
    const state = this.client ? (this.connected ? "connected" : "reconnecting") : "not connected";
    const name = this.name === undefined ? "" : ` "${this.name}"`;
    return `${this.constructor.name}${name} { topic: ${this.topic}, url: ${this.url ?? "(not yet)"}, ${state}, stats: ${JSON.stringify(this.stats)} }`;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      topic: this.topic,
      clientId: this.clientId,
      url: this.url,
      connected: this.connected,
      stats: this.stats,
      errors: this.errors,
    };
  }

  private tooLarge({ topic, bytes }: OversizedMessage): void {
    this.oversized++;
    const seq = ++this.stats.received;
    this.log.arrival(Date.now());
    this.reject(
      seq,
      topic,
      bytes,
      `message too large: ${bytes} bytes, more than the limit of ${this.options.maxMessageBytes} (maxMessageBytes); dropped unread`,
    );
  }

  private reject(seq: number, topic: string, bytes: number, reason: string): void {
    this.stats.rejected++;
    this.remember(`message ${seq} on ${topic} rejected: ${reason}`);
    this.safely("onReject", () => this.onReject({ seq, topic, bytes, reason }));
  }

  private requireClient(action: string): MqttClient {
    if (!this.client) throw new ConnectionError(`cannot ${action}: call connect() first`);
    return this.client;
  }

  private safely(callback: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.stats.callbackErrors++;
      this.remember(`${callback} threw: ${messageOf(error)}`);
    }
  }

  private remember(error: string): void {
    const line = this.scrub(error);
    const last = this.errorLines.last();
    const repeated = last?.match(/^(.*) \(×(\d+)\)$/);
    if (last === line || repeated?.[1] === line) this.errorLines.replaceLast(`${line} (×${repeated ? Number(repeated[2]) + 1 : 2})`);
    else this.errorLines.push(line);
  }

  /** A password never goes into a message, whatever a library put in its error text. */
  private scrub(text: string): string {
    const password = this.options.settings?.password;
    return password ? text.split(password).join("***") : text;
  }
}
