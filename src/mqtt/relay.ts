/**
 * A relay: a small TCP proxy on this machine between clients and a broker, whose "cable" a lesson can cut and
 * restore from a cell, to see what MQTT does when a network fails. Clients connect to `relay.url` instead of the
 * broker; every byte is passed on unchanged (so TLS passes through too).
 */
import type { IClientOptions } from "mqtt";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { ConnectionError, SettingsError } from "../errors";
import { whenKernelShutsDown } from "../kernel/session";
import { defaultBrokerUrl } from "./default-broker";
import { readSettings, redactUrl } from "./settings";

/** Which way bytes stop: both, only those going to the broker, or only those coming back to the clients. */
export type CutDirection = "both" | "to-broker" | "to-client";

export interface Relay {
  /** Where clients connect instead of the broker, e.g. mqtt://127.0.0.1:40123. */
  readonly url: string;
  /** The broker it passes bytes on to (without credentials). */
  readonly target: string;
  /** "open", or which way bytes are being dropped. */
  readonly state: "open" | CutDirection;
  /** Client connections passing through right now. */
  readonly connections: number;
  /** Bytes dropped by cuts so far. */
  readonly droppedBytes: number;
  /**
   * Cuts the cable without a word, as a Wi-Fi that vanishes: bytes going `direction` are dropped and nobody is
   * told. Connections stay open until a keep-alive notices the silence or restore() ends them.
   */
  cut(direction?: CutDirection): void;
  /**
   * Mends the cable. Connections that lost bytes in the cut cannot go on (MQTT would read half a packet), so they
   * are closed now, as a router does after an outage; their clients connect again, through the mended relay.
   */
  restore(): void;
  /** Ends every connection at once, as a crashed laptop: each side sees its connection close, without a DISCONNECT. */
  drop(): void;
  /** Ends every connection and stops listening. Safe to call twice; a kernel shutdown calls it too. */
  close(): Promise<void>;
}

export interface RelayOptions {
  /** The broker to relay to (default: MQTT_URL, or the built-in feed). */
  to?: string;
}

interface Pair {
  client: Socket;
  broker: Socket;
  /** Whether bytes of this connection were dropped: it cannot carry MQTT any more. */
  broken: boolean;
}

const PORTS: Record<string, number> = { "mqtt:": 1883, "tcp:": 1883, "mqtts:": 8883, "ssl:": 8883, "tls:": 8883, "ws:": 80, "wss:": 443 };
/** Relay URL → the broker's host name, for TLS certificates (see throughRelay). */
const relayedHosts = new Map<string, string>();
/** The relays that are open, closed all together when the kernel shuts down. */
const open = new Set<Relay>();
whenKernelShutsDown(() => Promise.all([...open].map((relay) => relay.close())).then(() => {}));

/**
 * What a client connecting to `url` needs when that is a relay: the broker's host name for the TLS certificate
 * check (not 127.0.0.1). Nothing for any other URL.
 */
export function throughRelay(url: string): IClientOptions {
  const servername = relayedHosts.get(url);
  return servername === undefined ? {} : { servername };
}

/**
 * Starts a relay on 127.0.0.1 and a free port, in front of a broker.
 * @example
 * const relay = await startRelay();
 * const client = await new MQTTClient(topic, { url: relay.url }).connect();
 * relay.cut();     // the network goes silent
 * relay.restore(); // back: the client reconnects by itself
 * await relay.close();
 */
export async function startRelay(options: RelayOptions = {}): Promise<Relay> {
  const to = options.to ?? (await defaultBrokerUrl(readSettings()));
  let target: URL;
  try {
    target = new URL(to);
  } catch {
    throw new SettingsError(`the relay's broker is not a URL: "${redactUrl(to)}"`);
  }
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const port = Number(target.port || PORTS[target.protocol]);
  if (!(port > 0)) throw new SettingsError(`the relay cannot tell the port of ${redactUrl(to)}`);

  const pairs = new Set<Pair>();
  let state: "open" | CutDirection = "open";
  let droppedBytes = 0;
  const server: Server = createServer((client) => {
    const broker = createConnection({ host, port });
    const pair: Pair = { client, broker, broken: false };
    pairs.add(pair);
    const pass = (from: Socket, to: Socket, blocked: CutDirection) => {
      from.on("data", (chunk: Buffer) => {
        if (state === "both" || state === blocked) {
          droppedBytes += chunk.byteLength;
          pair.broken = true;
        } else if (!to.destroyed) to.write(chunk);
      });
    };
    pass(client, broker, "to-broker");
    pass(broker, client, "to-client");
    const end = (from: Socket, blocked: CutDirection) => () => {
      // Across a cut cable even the news that one side has closed cannot pass: the other side hangs on, until its
      // keep-alive gives up or restore() ends it.
      if (state === "both" || state === blocked) {
        pair.broken = true;
        from.destroy();
        if (!client.destroyed || !broker.destroyed) return;
      }
      pairs.delete(pair);
      client.destroy();
      broker.destroy();
    };
    for (const [socket, blocked] of [
      [client, "to-broker"],
      [broker, "to-client"],
    ] as const) {
      socket.on("close", end(socket, blocked));
      socket.on("error", end(socket, blocked)); // otherwise a reset on either side ends both, as a real network would
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(new ConnectionError(`cannot start the relay: ${error.message}`)));
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  const relayPort = typeof address === "object" && address ? address.port : 0;
  const path = target.pathname === "/" ? "" : target.pathname;
  const url = `${target.protocol}//127.0.0.1:${relayPort}${path}`;
  relayedHosts.set(url, host);

  const endAll = (which: (pair: Pair) => boolean) => {
    for (const pair of [...pairs]) {
      if (!which(pair)) continue;
      pairs.delete(pair);
      pair.client.destroy();
      pair.broker.destroy();
    }
  };
  let closing: Promise<void> | undefined;
  const relay: Relay = {
    url,
    target: redactUrl(to),
    get state() {
      return state;
    },
    get connections() {
      return pairs.size;
    },
    get droppedBytes() {
      return droppedBytes;
    },
    cut(direction = "both") {
      if (!["both", "to-broker", "to-client"].includes(direction)) {
        throw new RangeError(`invalid direction: ${JSON.stringify(direction)} (expected "both", "to-broker" or "to-client")`);
      }
      state = direction;
    },
    restore() {
      state = "open";
      endAll((pair) => pair.broken);
    },
    drop() {
      endAll(() => true);
    },
    close() {
      closing ??= (async () => {
        relayedHosts.delete(url);
        open.delete(relay);
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        endAll(() => true);
        await stopped;
      })();
      return closing;
    },
  };
  open.add(relay);
  return relay;
}
