import { createServer, type Server, type Socket } from "node:net";

/** An MQTT broker running inside this Node process. */
export interface EmbeddedBroker {
  /** Where clients connect, e.g. mqtt://127.0.0.1:40123. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Clients connected right now. */
  readonly connectedClients: number;
  /** Disconnects every client and stops listening. Safe to call twice. */
  close(): Promise<void>;
}

export interface BrokerOptions {
  /** Interface to listen on; default 127.0.0.1 (this machine only). */
  host?: string;
  /** Port; default 0, a free one chosen by the system. */
  port?: number;
}

/**
 * Starts a new MQTT 3.1.1 broker (aedes) in this process.
 * @example
 * const broker = await startBroker();
 * console.log(broker.url); // mqtt://127.0.0.1:40123
 * await broker.close();
 */
export async function startBroker({ host = "127.0.0.1", port = 0 }: BrokerOptions = {}): Promise<EmbeddedBroker> {
  const { Aedes } = await import("aedes"); // ESM-only package, loaded from this CommonJS build
  const aedes = await Aedes.createBroker();
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
