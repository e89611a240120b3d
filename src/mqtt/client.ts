/**
 * src/mqtt/: talking MQTT — settings from the environment, the lesson's client with its four callbacks (this
 * file), client ids, connection attempts and their one-line reasons, outages, the size guard, our mqtt.js
 * options and patches, an embedded broker. It may import kernel/ and the cross-cutting files; payloads are bytes
 * here (it does not import beam/), and it never imports feed/: the built-in feed registers itself through
 * default-broker.ts. (This file is about 360 lines: the four callbacks, connecting and reconnecting, publishing and
 * callback errors are one piece; its options, attempts, outages, size guard and delivery already live beside it.)
 */
import { inspect } from "node:util";
import { connect as mqttConnect, type MqttClient } from "mqtt";
import { BROKER_NOTICE_TOPIC } from "./broker-rules";
import { newClientId } from "./client-id";
import { defaultBrokerUrl } from "./default-broker";
import { endForGood, trackAttempts, waitForFirstConnect } from "./attempts";
import { explainConnectionError } from "./connection-errors";
import { connectionContext, connectionOptions, FIRST_RECONNECT_MS } from "./options";
import { Backoff } from "./backoff";
import { ConnectionError, PayloadError, messageOf } from "../errors";
import { Ring } from "../ring";
import { OutageLog, type Outage } from "./outages";
import { register, unregister } from "../kernel/session";
import { callbackErrorLine, showInNotebook } from "../kernel/error-display";
import { checkTopic, readSettings, redactUrl } from "./settings";
import { PayloadPool } from "./payload-pool";
import { SizeGuard, type OversizedMessage } from "./size-guard";
import type { ClientOptions, ClientStats } from "./client-options";
import type { Message, Rejection } from "./message";
import { Refusals } from "./refusals";
import { throughRelay } from "./relay";
import { checkQos, PacketCounter, sessionOptions, type PacketCounts, type PublishOptions, type QoS } from "./delivery";

export { sleep } from "../kernel/session";

export type { Message, Rejection } from "./message";
export type { ClientStats, ClientOptions } from "./client-options";

/** How many recent error messages a client keeps (older ones are dropped; the counts keep growing). */
const ERRORS_KEPT = 20;
/** Default largest message: room for a pulse (704,000 bytes) and more, far less than a runaway publisher's. */
const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
/** How many different callback errors a client shows in the notebook; the rest are only counted and listed. */
const CALLBACK_ERRORS_SHOWN = 3;

/**
 * An MQTT client with the four callbacks of the lesson: onConnect, onDisconnect, onPublish, onMessage.
 * Subclass it and override them, or assign them on an instance. onConnect subscribes to the topic,
 * so that every reconnect subscribes again. Errors thrown in a callback are caught, so nothing stops the
 * stream: a PayloadError from onMessage rejects that message (stats.rejected); any other error is a bug in
 * the callback, shown in the notebook at once with the line that threw it (stats.callbackErrors). When the
 * connection drops, the client reconnects by itself (after 1 s, 2 s, 4 s, 8 s, 8 s …) and records the
 * outage in `outages`.
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
  private readonly refusals = new Refusals((line) => {
    const text = this.scrub(line);
    this.remember(text);
    console.warn(text); // printed: a refusal is never a silent nothing
  });
  private dropReason: string | undefined;
  private readonly shownErrors = new Set<string>();
  private packetCounter: PacketCounter | undefined;
  private resumed = false;

  constructor(topic?: string, options: ClientOptions = {}) {
    const settings = options.settings ?? readSettings();
    this.topic = topic ?? settings.topic;
    checkTopic(this.topic);
    this.clientId = options.clientId ?? newClientId(undefined, settings.username ?? null);
    this.name = options.name;
    const max = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (!(Number.isInteger(max) && max > 0)) throw new RangeError(`invalid maxMessageBytes: ${max} (expected a whole number > 0)`);
    this.options = { ...options, settings, maxMessageBytes: max };
    const stats = { connects: 0, disconnects: 0, received: 0, rejected: 0, published: 0, callbackErrors: 0 };
    const log = this.log;
    this.stats = Object.defineProperties(stats, {
      oversized: { enumerable: true, get: () => this.oversized },
      refused: { enumerable: true, get: () => this.refusals.count },
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
  /** Called for a message that onMessage rejected (threw a PayloadError) or that was too large; the stream goes on. */
  onReject(_rejection: Rejection): void {}

  /** The latest error messages, newest last (at most 20; a repeated line ends in "(×N)"). */
  get errors(): string[] {
    return this.errorLines.toArray();
  }

  /** Whether the client is connected right now. */
  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Whether the broker had kept this client's session (clean: false) at the last connect: what it queued arrives now. */
  get sessionPresent(): boolean {
    return this.resumed;
  }

  /** How many MQTT packets of each kind went each way since connect(), e.g. { sent: { publish: 1 }, received: { puback: 1 } }. */
  get packets(): PacketCounts {
    return this.packetCounter?.counts() ?? { sent: {}, received: {} };
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
      overrides: { ...sessionOptions(this.options), ...throughRelay(url), ...this.options.mqtt },
    });
    const client = mqttConnect(url, options);
    const backoff = new Backoff(client.options.reconnectPeriod ?? FIRST_RECONNECT_MS);
    // Every stream mqtt.js opens goes through a SizeGuard: whole packets to the parser, oversized ones dropped unread.
    const pool = this.options.recyclePayloads ? new PayloadPool() : undefined;
    const guard = () => new SizeGuard(this.options.maxMessageBytes!, (m) => this.tooLarge(m), pool);
    const attempt = trackAttempts(client, guard);
    this.client = client;
    this.packetCounter = new PacketCounter(client);
    client.on("connect", (connack) => {
      this.stats.connects++;
      this.resumed = connack.sessionPresent;
      client.options.reconnectPeriod = backoff.connected(); // the next outage starts again at 1 s
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
      // 1 s, 2 s, 4 s, 8 s, 8 s … (see Backoff); a client ended for good (period 0) stays ended.
      if (client.options.reconnectPeriod) client.options.reconnectPeriod = backoff.attempted();
    });
    client.on("message", (topic, payload, { qos, retain, dup }) => {
      if (topic === BROKER_NOTICE_TOPIC) return this.refusals.notice(payload);
      const message: Message = { topic, payload, receivedAt: Date.now(), seq: ++this.stats.received, qos, retain, dup };
      this.log.arrival(message.receivedAt);
      let pending = false;
      try {
        pending = (this.onMessage(message) as unknown) instanceof Promise;
      } catch (error) {
        if (error instanceof PayloadError) this.reject(message.seq, topic, payload.byteLength, error.message);
        else this.callbackFailed("onMessage", error);
      }
      if (pool && !pending) pool.release(payload);
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

  /**
   * Subscribes to a topic or a filter with wildcards (+ one level, # all the rest), at the client's qos option
   * unless `options.qos` says otherwise.
   * @example await client.subscribe("ac_phys/workxp/#", { qos: 1 });
   */
  async subscribe(topic: string, options: { qos?: QoS } = {}): Promise<void> {
    checkTopic(topic);
    const client = this.requireClient("subscribe");
    try {
      await client.subscribeAsync(topic, { qos: checkQos(options.qos ?? this.options.qos ?? 0) });
    } catch (error) {
      if (!this.refusals.subscribeRefused(error, this.url, topic)) this.remember(`subscribe to ${topic} failed: ${messageOf(error)}`);
    }
  }

  /**
   * Publishes bytes or text to a topic; onPublish runs once it has gone to the broker: at QoS 0 once it is sent,
   * at QoS 1 and 2 once the broker has acknowledged it (until then the promise waits, and a connection that drops
   * meanwhile sends it again after reconnecting).
   * @throws ConnectionError while the connection is down: the message is not queued.
   * @example await client.publish("workxp/students/student01/alarm", "beam loss high", { qos: 1, retain: true });
   */
  async publish(topic: string, payload: Uint8Array | string, options: PublishOptions = {}): Promise<void> {
    const client = this.requireClient("publish");
    const bytes = typeof payload === "string" ? Buffer.from(payload) : payload;
    const qos = checkQos(options.qos ?? 0);
    try {
      if (!client.connected) throw new Error("offline"); // mqtt.js would queue QoS 1 and 2 messages without a bound
      await client.publishAsync(topic, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        qos,
        retain: options.retain ?? false,
      });
    } catch (error) {
      // Offline, nothing is queued: mqtt.js refuses QoS 0 messages itself (queueQoSZero: false), we refuse the rest.
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

  /**
   * Records an error thrown by a callback: counted in stats.callbackErrors, listed in errors, and shown in the
   * notebook (each different error once, the first few). For helpers that run callbacks of their own, such as
   * getLiveData's onPulse.
   * @example client.callbackFailed("onPulse", error)
   */
  callbackFailed(callback: string, error: unknown): void {
    this.stats.callbackErrors++;
    const line = this.scrub(callbackErrorLine(`${this.constructor.name}.${callback}`, error));
    this.remember(line); // the same bug on every message: one line, "(×N)"
    if (this.shownErrors.has(line) || this.shownErrors.size > CALLBACK_ERRORS_SHOWN) return;
    this.shownErrors.add(line);
    showInNotebook(
      this.shownErrors.size > CALLBACK_ERRORS_SHOWN
        ? `(more errors in callbacks: see ${this.constructor.name}'s errors and stats.callbackErrors)`
        : line,
    );
  }

  private safely(callback: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.callbackFailed(callback, error);
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
