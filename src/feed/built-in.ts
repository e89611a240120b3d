/**
 * The built-in feed: an embedded broker and the ISIS simulator publishing into it, started once per process when
 * a lesson needs a broker and MQTT_URL is unset. They run on a thread of their own (built-in-worker.ts), with their
 * own heap: the broker's and the simulator's garbage — a few 704 KB buffers per pulse — is then collected there,
 * never in a pause of the notebook's thread. Where a worker cannot be started (its compiled file is missing), they
 * run on this thread, as startBroker() and startFeed() do.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { startBroker, type EmbeddedBroker } from "../mqtt/broker";
import { ConnectionError } from "../errors";
import { startFeed, type Feed } from "./feed";
import { FeedState, type Publication } from "./feed-state";
import { installKernelHooks, whenKernelShutsDown } from "../kernel/session";
import { provideBuiltInBroker } from "../mqtt/default-broker";
import { DEFAULT_TOPIC, type Settings } from "../mqtt/settings";
import { SCENARIOS } from "../beam/simulator";
import type { BuiltInFeedOptions, WorkerCommand, WorkerInput, WorkerMessage } from "./built-in-protocol";

export type { BuiltInFeedOptions };
import { feedTopics } from "./topics";

/** What the notebook's thread sees of the built-in feed's broker. */
export type BuiltInBroker = Omit<EmbeddedBroker, "clients">;

/** The embedded broker with the simulated ISIS feed publishing into it. */
export interface BuiltInFeed {
  readonly url: string;
  /** Its broker; it usually runs on the feed's own thread, so its connections are counted here, not listed. */
  readonly broker: BuiltInBroker;
  readonly feed: Feed;
  /** Whether broker and feed run on a thread of their own (true unless a worker could not be started). */
  readonly ownThread: boolean;
  /**
   * When the feed published the pulse with these samples (ms since 1970, to a microsecond), if it is one of the
   * last 64 it published: `Date.now()`-like, so a receiver can tell how long the pulse took to arrive.
   * @example const tookMs = performance.timeOrigin + performance.now() - builtIn.publishedAt(pulse.data)!;
   */
  publishedAt(samples: ArrayLike<number>): number | undefined;
  /**
   * publishedAt() with the pulse's number in the order of publishing (the first is 0), and how many were
   * published so far — the next one's number: to tell a lost pulse from one published outside a time window.
   */
  publication(samples: ArrayLike<number>): Publication | undefined;
  readonly publications: number;
}

let running: Promise<BuiltInFeed> | undefined;
let runningKey = "";

/**
 * Starts the built-in feed once per process: an embedded broker on 127.0.0.1 and the ISIS simulator
 * publishing on ac_phys/workxp/live_signals (with its summary and retained status beside it; it obeys requests
 * on ac_phys/workxp/control, being the notebook's own). Calling it again (e.g. re-running a cell) returns the
 * same feed; another scenario switches the running feed; other options restart it with them.
 * @example const { url } = await startBuiltInFeed({ rate: 50 });
 */
export async function startBuiltInFeed(options: BuiltInFeedOptions = {}): Promise<BuiltInFeed> {
  installKernelHooks(); // in a notebook, shutting the kernel down stops the feed (else it keeps the kernel alive)
  const key = JSON.stringify([options.rate ?? 1, options.seed ?? null, options.topic ?? null]);
  if (running && key === runningKey) {
    const current = await running;
    current.feed.setScenario(options.scenario ?? "nominal"); // clients stay connected to the same broker
    return current;
  }
  await stopBuiltInFeed();
  runningKey = key;
  const entry = workerEntry();
  const starting: Promise<BuiltInFeed> = entry
    ? inWorker(entry, options, () => {
        if (running === starting) running = undefined; // its thread ended by itself: the next client starts a new one
      })
    : inThisThread(options);
  running = starting;
  starting.catch(() => {
    if (running === starting) running = undefined;
  });
  return starting;
}

whenKernelShutsDown(() => stopBuiltInFeed());

/** Stops the built-in feed and its broker, if running. Call it in a notebook's last cell (a kernel shutdown also does). */
export async function stopBuiltInFeed(): Promise<void> {
  const current = running;
  running = undefined;
  if (!current) return;
  const { broker, feed } = await current.catch(() => ({ broker: undefined, feed: undefined }));
  await feed?.stop();
  await broker?.close();
}

/**
 * The broker to use: MQTT_URL when set, else the built-in feed — the one already running, whatever its
 * rate, or a new one at 1 Hz on the settings' topic (the default topic when that has wildcards).
 */
export async function resolveBroker(settings: Settings): Promise<string> {
  if (settings.url !== undefined) return settings.url;
  if (running) return (await running).url;
  const topic = /[+#]/.test(settings.topic) ? undefined : settings.topic;
  return (await startBuiltInFeed({ topic })).url;
}

provideBuiltInBroker(resolveBroker);

/** The worker's compiled file next to this one (dist/feed/), or, when run from the sources through tsx, its .ts. */
function workerEntry(): string | undefined {
  const compiled = path.join(__dirname, "built-in-worker.js");
  if (existsSync(compiled)) return compiled;
  const source = path.join(__dirname, "built-in-worker.ts");
  return existsSync(source) && process.execArgv.some((a) => a.includes("tsx")) ? source : undefined;
}

/** A worker running `entry`; a .ts entry (tests, from the sources) through tsx's require hook, which workers do not inherit. */
function newWorker(entry: string, workerData: WorkerInput): Worker {
  if (entry.endsWith(".js")) return new Worker(entry, { workerData });
  const tsx = require.resolve("tsx/cjs", { paths: [__dirname] });
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData });
}

/** Broker and feed on their own thread; this thread sees their counters through shared memory. `onEnd`: the thread ended. */
async function inWorker(entry: string, options: BuiltInFeedOptions, onEnd: () => void): Promise<BuiltInFeed> {
  const state = new FeedState("shared");
  const worker = newWorker(entry, { options, state: state.memory as SharedArrayBuffer });
  worker.unref(); // like the feed's timer: the built-in feed alone never keeps a process alive
  worker.on("error", () => {}); // a thread that fails later: its clients see the broker go (a ConnectionError), no crash here
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  void exited.then(onEnd);
  const ready = await new Promise<Extract<WorkerMessage, { type: "ready" }>>((resolve, reject) => {
    worker.once("message", (message: WorkerMessage) => {
      if (message.type === "ready") resolve(message);
      else reject(new ConnectionError(`the built-in feed did not start: ${message.type === "failed" ? message.message : message.type}`));
    });
    worker.once("error", (error) => reject(new ConnectionError(`the built-in feed did not start: ${error.message}`)));
    void exited.then(() => reject(new ConnectionError("the built-in feed did not start: its thread ended")));
  });
  let stopping: Promise<void> | undefined;
  const close = () =>
    (stopping ??= (async () => {
      worker.postMessage({ type: "stop" } satisfies WorkerCommand);
      const timer = setTimeout(() => void worker.terminate(), 3000); // a thread that does not end by itself is ended
      await exited;
      clearTimeout(timer);
    })());
  let feedStopped: Promise<void> | undefined;
  const stopFeed = () =>
    (feedStopped ??= new Promise<void>((resolve) => {
      worker.on("message", (message: WorkerMessage) => message.type === "feedStopped" && resolve());
      void exited.then(resolve);
      worker.postMessage({ type: "stopFeed" } satisfies WorkerCommand);
    }));
  const topic = options.topic ?? DEFAULT_TOPIC;
  const feed: Feed = {
    url: ready.url,
    topic,
    topics: feedTopics(topic),
    rate: options.rate ?? 1,
    get scenario() {
      return SCENARIOS[state.read().scenario]!;
    },
    setScenario(scenario) {
      if (!SCENARIOS.includes(scenario))
        throw new RangeError(`unknown scenario: ${JSON.stringify(scenario)} (expected ${SCENARIOS.join(" or ")})`);
      state.writeScenario(SCENARIOS.indexOf(scenario)); // at once for this thread; the feed's thread follows
      worker.postMessage({ type: "setScenario", scenario } satisfies WorkerCommand);
    },
    get published() {
      return state.read().published;
    },
    get skipped() {
      return state.read().skipped;
    },
    get connected() {
      return state.read().connected;
    },
    get backlogBytes() {
      return state.read().backlogBytes;
    },
    stop: stopFeed,
  };
  const broker: BuiltInBroker = {
    url: ready.url,
    host: ready.host,
    port: ready.port,
    get connectedClients() {
      return state.read().connectedClients;
    },
    close,
  };
  return withLog({ url: ready.url, broker, feed, ownThread: true }, state);
}

/** Broker and feed on this thread (where no worker can be started). */
async function inThisThread(options: BuiltInFeedOptions): Promise<BuiltInFeed> {
  const state = new FeedState("local");
  const broker = await startBroker();
  try {
    const feed = await startFeed({ url: broker.url, control: true, ...options, onPublish: (samples) => state.logPublish(samples) });
    return withLog({ url: broker.url, broker, feed, ownThread: false }, state);
  } catch (error) {
    await broker.close();
    throw error;
  }
}

/** A running feed with its publish log (in memory shared with the feed's thread, or this thread's). */
function withLog(running: Omit<BuiltInFeed, "publishedAt" | "publication" | "publications">, state: FeedState): BuiltInFeed {
  return {
    ...running,
    publishedAt: (samples) => state.publishedAt(samples),
    publication: (samples) => state.publication(samples),
    get publications() {
      return state.logged;
    },
  };
}
