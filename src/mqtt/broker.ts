/**
 * The embedded broker: aedes in this process, on a TCP port. With rules (a classroom's) it checks every connection,
 * publish and subscription; it can also say who is connected and how much each one is sent, for a dashboard.
 */
import { createServer, type Server, type Socket } from "node:net";
import type { Aedes, AedesPublishPacket, Client } from "aedes";
import { BROKER_NOTICE_TOPIC, type BrokerRules } from "./broker-rules";

/** One client connected to the embedded broker, as it is now. */
export interface BrokerClient {
  readonly clientId: string;
  /** The user name it connected with; undefined for an anonymous client. */
  readonly username: string | undefined;
  /** When it connected (Date.now()). */
  readonly connectedAt: number;
  /** Its subscriptions (topic filters), in the order made. */
  readonly subscriptions: readonly string[];
  /** Messages the broker has sent it since it connected (refusal notices included). */
  readonly messagesOut: number;
  /** Bytes written to its connection since it connected (all packets). */
  readonly bytesOut: number;
  /** Bytes read from its connection. */
  readonly bytesIn: number;
}

/** What the embedded broker reports as it happens (e.g. to a dashboard). */
export interface BrokerEvents {
  /** A client was let in. */
  connected?(client: BrokerClient): void;
  /** A client that had been let in went away. */
  disconnected?(client: BrokerClient, at: number): void;
  /** A client published a message the rules allowed. */
  published?(client: BrokerClient, topic: string, payload: Buffer): void;
  /** The rules refused a connection, publish or subscription: the line the client was told. */
  refused?(clientId: string, username: string | undefined, line: string): void;
}

/** An MQTT broker running inside this Node process. */
export interface EmbeddedBroker {
  /** Where clients connect, e.g. mqtt://127.0.0.1:40123. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Clients connected right now. */
  readonly connectedClients: number;
  /** The clients connected right now, oldest first. */
  clients(): BrokerClient[];
  /** Disconnects every client and stops listening. Safe to call twice. */
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** Interface to listen on; default 127.0.0.1 (this machine only). */
  host?: string;
  /** Port; default 0, a free one chosen by the system. */
  port?: number;
  /** Who may connect, publish and subscribe (default: anyone, anything). */
  rules?: BrokerRules;
  /** Told about connections, publishes and refusals. */
  events?: BrokerEvents;
  /**
   * How long a client's full socket may hold up delivery before the broker drops that client, in ms (aedes's
   * drainTimeout; default 60,000). A laptop that stops reading must not stall the rest of a room for a minute.
   */
  drainTimeoutMs?: number;
}

/** What the broker keeps about a client it let in. */
interface Tracked {
  readonly username: string | undefined;
  readonly connectedAt: number;
  readonly subscriptions: string[];
  messagesOut: number;
  readonly bytesOutAtStart: number;
  readonly bytesInAtStart: number;
}

/**
 * Starts a new MQTT 3.1.1 broker (aedes) in this process.
 * @example
 * const broker = await startBroker();
 * console.log(broker.url); // mqtt://127.0.0.1:40123
 * await broker.close();
 */
export async function startBroker({
  host = "127.0.0.1",
  port = 0,
  rules,
  events = {},
  drainTimeoutMs,
}: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const { Aedes } = await import("aedes"); // ESM-only package, loaded from this CommonJS build
  const aedes = await Aedes.createBroker(drainTimeoutMs === undefined ? {} : { drainTimeout: drainTimeoutMs });
  const tracked = new Map<Client, Tracked>();
  const usernames = new WeakMap<Client, string | undefined>();
  watchClients(aedes, tracked, usernames, events);
  if (rules) applyRules(aedes, rules, usernames, events);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    aedes.handle(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    const reason = (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? "the port is already in use" : String(error);
    throw new Error(`cannot start the embedded broker on ${host}:${port}: ${reason}`);
  }
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `mqtt://${urlHost}:${actualPort}`,
    host,
    port: actualPort,
    get connectedClients() {
      return aedes.connectedClients;
    },
    clients: () => [...tracked].map(([client, t]) => snapshot(client, t)),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy(); // server.close() waits for open sockets otherwise
        await new Promise<void>((resolve) => aedes.close(() => resolve()));
        await stopped;
      })();
      return closing;
    },
  };
}

function snapshot(client: Client, t: Tracked): BrokerClient {
  const socket = client.conn as Partial<Socket>;
  return {
    clientId: client.id,
    username: t.username,
    connectedAt: t.connectedAt,
    subscriptions: [...t.subscriptions],
    messagesOut: t.messagesOut,
    bytesOut: (socket.bytesWritten ?? 0) - t.bytesOutAtStart,
    bytesIn: (socket.bytesRead ?? 0) - t.bytesInAtStart,
  };
}

/** Keeps `tracked` to the clients let in (a refused client also gets a clientDisconnect from aedes: it is ignored). */
function watchClients(aedes: Aedes, tracked: Map<Client, Tracked>, usernames: WeakMap<Client, string | undefined>, events: BrokerEvents) {
  aedes.on("clientReady", (client) => {
    const socket = client.conn as Partial<Socket>;
    const t: Tracked = {
      username: usernames.get(client),
      connectedAt: Date.now(),
      subscriptions: [],
      messagesOut: 0,
      bytesOutAtStart: socket.bytesWritten ?? 0,
      bytesInAtStart: socket.bytesRead ?? 0,
    };
    tracked.set(client, t);
    events.connected?.(snapshot(client, t));
  });
  aedes.on("clientDisconnect", (client) => {
    const t = tracked.get(client);
    if (!t) return;
    tracked.delete(client);
    events.disconnected?.(snapshot(client, t), Date.now());
  });
  aedes.on("subscribe", (subscriptions, client) => {
    const t = tracked.get(client);
    // Refused subscriptions come with qos 128.
    for (const s of subscriptions) if (t && (s.qos as number) !== 128 && !t.subscriptions.includes(s.topic)) t.subscriptions.push(s.topic);
  });
  aedes.on("unsubscribe", (topics, client) => {
    const t = tracked.get(client);
    for (const topic of topics) {
      const i = t ? t.subscriptions.indexOf(topic) : -1;
      if (i >= 0) t!.subscriptions.splice(i, 1);
    }
  });
  aedes.on("publish", (packet, client) => {
    const t = client && tracked.get(client);
    if (t && !packet.topic.startsWith("$")) events.published?.(snapshot(client, t), packet.topic, packet.payload as Buffer);
  });
  const forward = aedes.authorizeForward.bind(aedes);
  aedes.authorizeForward = (client, packet) => {
    const t = tracked.get(client);
    if (t) t.messagesOut++;
    return forward(client, packet);
  };
}

/** Wires a broker's rules into aedes's hooks; a refused publish or subscription is answered with a notice. */
function applyRules(aedes: Aedes, rules: BrokerRules, usernames: WeakMap<Client, string | undefined>, events: BrokerEvents) {
  const notify = (client: Client, line: string) => {
    events.refused?.(client.id, usernames.get(client), line);
    if (client.closed) return;
    client.publish({ cmd: "publish", topic: BROKER_NOTICE_TOPIC, payload: Buffer.from(line), qos: 0, retain: false, dup: false }, () => {});
  };
  aedes.authenticate = (client, username, password, done) => {
    // A will is checked now, as it is handed over: the broker publishes it later, when the client may be gone.
    const will = (client as Client & { _will?: { topic: string } })._will?.topic;
    const willLine = will === undefined || !username ? undefined : rules.publish(username, will);
    const refusal =
      rules.connect(client.id, username || undefined, password) ??
      (willLine && { code: 5 as const, reason: `last will refused: ${willLine}` });
    if (refusal) {
      events.refused?.(client.id, username || undefined, refusal.reason);
      return done(Object.assign(new Error(refusal.reason), { returnCode: refusal.code }), false);
    }
    usernames.set(client, username || undefined);
    done(null, true);
  };
  aedes.authorizePublish = (client, packet, done) => {
    if (!client) return done(null); // a will published after its client left: checked when the client connected
    const line = packet.topic.startsWith("$")
      ? `${packet.topic} is reserved for the broker`
      : rules.publish(usernames.get(client) ?? "", packet.topic);
    if (line === undefined) return done(null);
    notify(client, line);
    // Dropped rather than refused with an error, which would close the connection (MQTT-3.3.5-2 allows either): the
    // packet goes on under a $ topic that no subscription matches, and is never retained.
    (packet as AedesPublishPacket).topic = "$refused";
    packet.retain = false;
    done(null);
  };
  aedes.authorizeSubscribe = (client, subscription, done) => {
    const line = rules.subscribe(usernames.get(client) ?? "", subscription.topic);
    if (line === undefined) return done(null, subscription);
    notify(client, line);
    done(null, null); // SUBACK with 128: refused
  };
}
