import { connect as mqttConnect, type IClientOptions, type MqttClient } from "mqtt";
import { newClientId } from "./client-id";
import { explainConnectionError } from "./connection-errors";
import { ConnectionError, messageOf } from "./errors";
import { resolveBroker } from "./resolve-broker";
import { checkTopic, readCa, readSettings, type Settings } from "./settings";

/** One message as it arrived. */
export interface Message {
  readonly topic: string;
  /** The raw bytes. For the ISIS feed: 704,000 bytes, one pulse. */
  readonly payload: Buffer;
  /** When it arrived (ms since 1970, Date.now()). */
  readonly receivedAt: number;
  /** 1 for the first message this client received, then 2, 3 … */
  readonly seq: number;
}

/** What a client has seen so far. */
export interface ClientStats {
  connects: number;
  disconnects: number;
  received: number;
  /** Messages whose onMessage threw (e.g. a payload that is not a pulse): counted, and the stream goes on. */
  rejected: number;
  published: number;
  /** Errors thrown by callbacks other than onMessage. */
  callbackErrors: number;
}

export interface ClientOptions {
  /** Broker URL; default MQTT_URL, or the built-in feed when that is unset. */
  url?: string;
  /** Default: newClientId(), unique per client. */
  clientId?: string;
  /** How long connect() waits for the broker before giving up, in ms (default 5000). */
  connectTimeoutMs?: number;
  /** Settings to use instead of the environment (tests, tools). */
  settings?: Settings;
  /** Extra mqtt.js options, e.g. { keepalive: 30 }. */
  mqtt?: IClientOptions;
}

/** How many recent error messages a client keeps (older ones are dropped; the counts keep growing). */
const ERRORS_KEPT = 20;
/** Reconnect delays grow from 1 s, doubling, to at most this (ms): a broker that restarts is not hammered. */
const MAX_RECONNECT_MS = 8000;

/**
 * An MQTT client with the four callbacks of the lesson: onConnect, onDisconnect, onPublish, onMessage.
 * Subclass it and override them, or assign them on an instance. onConnect subscribes to the topic,
 * so that every reconnect subscribes again. Errors thrown in a callback are caught and counted: a bad
 * message never stops the stream.
 * @example
 * class Printer extends MQTTClient {
 *   override onMessage(message: Message) { console.log(message.topic, message.payload.length, "bytes"); }
 * }
 * const client = new Printer("ac_phys/workxp/live_signals");
 * await client.connect();
 * await sleep(3000);
 * await client.disconnect();
 */
export class MQTTClient {
  readonly topic: string;
  readonly clientId: string;
  readonly stats: ClientStats = { connects: 0, disconnects: 0, received: 0, rejected: 0, published: 0, callbackErrors: 0 };
  /** The latest error messages, newest last (at most 20). */
  readonly errors: string[] = [];
  /** The broker URL once connect() has been called (without credentials). */
  url: string | undefined;
  private client: MqttClient | undefined;
  private readonly options: ClientOptions;

  constructor(topic?: string, options: ClientOptions = {}) {
    const settings = options.settings ?? readSettings();
    this.topic = topic ?? settings.topic;
    checkTopic(this.topic);
    this.clientId = options.clientId ?? newClientId();
    this.options = { ...options, settings };
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

  /** Whether the client is connected right now. */
  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /**
   * Connects and resolves once the broker has accepted us (and onConnect has run).
   * @throws ConnectionError with a one-line reason if the broker cannot be reached within the time limit,
   * refuses our credentials, or its certificate is not trusted.
   */
  async connect(): Promise<this> {
    if (this.client) throw new ConnectionError(`client ${this.clientId} is already connected or connecting; call disconnect() first`);
    const settings = this.options.settings!;
    const url = this.options.url ?? (await resolveBroker(settings));
    this.url = url;
    const timeoutMs = this.options.connectTimeoutMs ?? 5000;
    const client = mqttConnect(url, {
      clientId: this.clientId,
      protocolVersion: 4, // MQTT 3.1.1: what aedes speaks, and every broker accepts
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: timeoutMs,
      queueQoSZero: false, // never pile up messages while offline
      username: settings.username,
      password: settings.password,
      ca: readCa(settings.caFile),
      ...this.options.mqtt,
    });
    this.client = client;
    client.on("connect", () => {
      this.stats.connects++;
      client.options.reconnectPeriod = 1000;
      this.safely("onConnect", () => this.onConnect());
    });
    client.on("close", () => {
      if (this.stats.connects > this.stats.disconnects) {
        this.stats.disconnects++;
        this.safely("onDisconnect", () => this.onDisconnect());
      }
    });
    client.on("reconnect", () => {
      client.options.reconnectPeriod = Math.min(MAX_RECONNECT_MS, (client.options.reconnectPeriod ?? 1000) * 2);
    });
    client.on("message", (topic, payload) => {
      const message: Message = { topic, payload, receivedAt: Date.now(), seq: ++this.stats.received };
      try {
        this.onMessage(message);
      } catch (error) {
        this.stats.rejected++;
        this.remember(`message ${message.seq} on ${topic} rejected: ${messageOf(error)}`);
      }
    });
    client.on("error", (error) => this.remember(explainConnectionError(error, url)));

    try {
      await waitForFirstConnect(client, url, timeoutMs);
    } catch (error) {
      this.client = undefined;
      await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
      throw error;
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

  /** Publishes bytes or text to a topic; onPublish runs once it has gone to the broker. */
  async publish(topic: string, payload: Uint8Array | string): Promise<void> {
    const client = this.requireClient("publish");
    const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
    await client.publishAsync(topic, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { qos: 0 });
    this.stats.published++;
    this.safely("onPublish", () => this.onPublish(topic, bytes));
  }

  /** Disconnects cleanly; onDisconnect runs. Safe to call when not connected. */
  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    await new Promise<void>((resolve) => client.end(false, {}, () => resolve()));
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
    this.errors.push(error);
    if (this.errors.length > ERRORS_KEPT) this.errors.shift();
  }
}

/** Resolves on the first connack; rejects at once on errors that retrying cannot fix, else at the time limit. */
function waitForFirstConnect(client: MqttClient, url: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let lastError: unknown;
    const done = (error?: unknown) => {
      clearTimeout(timer);
      client.off("connect", onConnect);
      client.off("error", onError);
      if (error === undefined) resolve();
      else reject(new ConnectionError(explainConnectionError(error, url)));
    };
    const onConnect = () => done();
    const onError = (error: Error & { code?: unknown }) => {
      lastError = error;
      if (error.code !== "ECONNREFUSED" && error.code !== "ECONNRESET") done(error); // auth, TLS, DNS: final
    };
    const timer = setTimeout(() => {
      done(lastError ?? new Error(`no answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    client.on("connect", onConnect);
    client.on("error", onError);
  });
}

/** Waits, in a notebook cell: `await sleep(2000)`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
