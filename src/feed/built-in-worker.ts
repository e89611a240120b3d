/**
 * The built-in feed's own thread (a worker_threads Worker started by src/feed/built-in.ts): the embedded broker
 * and the simulator, with their own heap and garbage collector, so that the 704 KB buffers they make and drop
 * 50 times a second are never collected on the notebook's thread. Told what to run by workerData; says "ready"
 * (with the broker's URL) or "failed" (one line); switches scenario on "setScenario"; stops on "stop" and then has
 * nothing left to run.
 */
import { parentPort, workerData } from "node:worker_threads";
import { startBroker, type EmbeddedBroker } from "../mqtt/broker";
import { messageOf } from "../errors";
import { startFeed, type Feed } from "./feed";
import { SCENARIOS } from "../beam/simulator";
import { FeedState } from "./feed-state";
import type { WorkerCommand, WorkerInput, WorkerMessage } from "./built-in-protocol";

/** How often the counters are refreshed for the notebook's thread, in ms. */
const REFRESH_MS = 20;

async function main(port: NonNullable<typeof parentPort>, { options, state: memory }: WorkerInput): Promise<void> {
  const state = new FeedState(memory);
  let broker: EmbeddedBroker | undefined;
  let feed: Feed | undefined;
  let refresh: NodeJS.Timeout | undefined;
  let scenarioShown = -1;
  const publish = () => {
    // The scenario only when it changed here (a request on the control topic): the notebook's thread writes it too.
    const scenario = feed ? SCENARIOS.indexOf(feed.scenario) : -1;
    if (scenario >= 0 && scenario !== scenarioShown) state.writeScenario((scenarioShown = scenario));
    state.write({
      published: feed?.published ?? 0,
      skipped: feed?.skipped ?? 0,
      connected: feed?.connected ?? false,
      backlogBytes: feed?.backlogBytes ?? 0,
      connectedClients: broker?.connectedClients ?? 0,
    });
  };
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
  port.on("message", (message: WorkerCommand) => {
    if (message.type === "stopFeed") void stopFeed();
    if (message.type === "stop") void stop();
    if (message.type === "setScenario") {
      feed?.setScenario(message.scenario); // checked by the notebook's thread already
      publish();
    }
  });
  try {
    broker = await startBroker();
    // control: the notebook's own feed obeys requests on its control topic, as on the notebook's thread
    feed = await startFeed({ url: broker.url, control: true, ...options, onPublish: (samples) => state.logPublish(samples) });
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
