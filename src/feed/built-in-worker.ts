/**
 * The built-in feed's own thread (a worker_threads Worker started by src/feed/built-in.ts): the embedded broker
 * and the simulator, with their own heap and garbage collector, so that the 704 KB buffers they make and drop
 * 50 times a second are never collected on the notebook's thread. Told what to run by workerData; says "ready"
 * (with the broker's URL) or "failed" (one line); stops on "stop" and then has nothing left to run.
 */
import { parentPort, workerData } from "node:worker_threads";
import { startBroker, type EmbeddedBroker } from "../mqtt/broker";
import { messageOf } from "../errors";
import { startFeed, type Feed } from "./feed";
import { FeedState } from "./feed-state";
import type { BuiltInFeedOptions } from "./built-in";

/** What built-in.ts sends. */
export interface WorkerInput {
  options: BuiltInFeedOptions;
  state: SharedArrayBuffer;
}

/** What this thread answers. */
export type WorkerMessage =
  | { type: "ready"; url: string; host: string; port: number }
  | { type: "failed"; message: string }
  | { type: "feedStopped" }
  | { type: "stopped" };

/** How often the counters are refreshed for the notebook's thread, in ms. */
const REFRESH_MS = 20;

async function main(port: NonNullable<typeof parentPort>, { options, state: memory }: WorkerInput): Promise<void> {
  const state = new FeedState(memory);
  let broker: EmbeddedBroker | undefined;
  let feed: Feed | undefined;
  let refresh: NodeJS.Timeout | undefined;
  const publish = () =>
    state.write({
      published: feed?.published ?? 0,
      skipped: feed?.skipped ?? 0,
      connected: feed?.connected ?? false,
      backlogBytes: feed?.backlogBytes ?? 0,
      connectedClients: broker?.connectedClients ?? 0,
    });
  const stopFeed = async () => {
    await feed?.stop();
    publish();
    port.postMessage({ type: "feedStopped" } satisfies WorkerMessage);
  };
  const stop = async () => {
    clearInterval(refresh);
    await feed?.stop();
    await broker?.close();
    publish();
    port.postMessage({ type: "stopped" } satisfies WorkerMessage);
    port.close(); // nothing keeps this thread now: it ends
  };
  port.on("message", (message: { type: string }) => {
    if (message.type === "stopFeed") void stopFeed();
    if (message.type === "stop") void stop();
  });
  try {
    broker = await startBroker();
    feed = await startFeed({ url: broker.url, ...options, onPublish: (samples) => state.logPublish(samples) });
  } catch (error) {
    await broker?.close();
    port.postMessage({ type: "failed", message: messageOf(error) } satisfies WorkerMessage);
    port.close();
    return;
  }
  publish();
  refresh = setInterval(publish, REFRESH_MS);
  port.postMessage({ type: "ready", url: broker.url, host: broker.host, port: broker.port } satisfies WorkerMessage);
}

if (parentPort) void main(parentPort, workerData as WorkerInput);
