import { createConnection, createServer, type Socket } from "node:net";

/** A relay on loopback in front of a broker; set `silent` to make the network go quiet. */
export interface Relay {
  /** Where clients connect instead of the broker. */
  readonly url: string;
  /** While true nothing passes and nothing is closed, like Wi-Fi that drops. */
  silent: boolean;
  close(): Promise<void>;
}

/** Starts a TCP relay to the broker at `brokerPort` on 127.0.0.1, on a free port. */
export async function relay(brokerPort: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  const state = { silent: false };
  const server = createServer((downstream) => {
    sockets.add(downstream);
    downstream.on("error", () => {});
    if (state.silent) return; // accepted, never answered
    const upstream = createConnection({ port: brokerPort, host: "127.0.0.1" });
    sockets.add(upstream);
    upstream.on("error", () => {});
    downstream.on("data", (d) => void (state.silent || upstream.write(d)));
    upstream.on("data", (d) => void (state.silent || downstream.write(d)));
    downstream.on("close", () => upstream.destroy());
    upstream.on("close", () => downstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(state, {
    url: `mqtt://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
