import { startBroker, type EmbeddedBroker } from "../mqtt/broker";
import { startFeed, type Feed } from "./feed";
import { installKernelHooks, whenKernelShutsDown } from "../kernel/session";
import { provideBuiltInBroker } from "../mqtt/default-broker";
import type { Settings } from "../mqtt/settings";
import type { Scenario } from "../beam/simulator";

/** The embedded broker with the simulated ISIS feed publishing into it. */
export interface BuiltInFeed {
  readonly url: string;
  readonly broker: EmbeddedBroker;
  readonly feed: Feed;
}

export interface BuiltInFeedOptions {
  /** Pulses per second: 1 (default, like the course feed) or 50 (the machine). */
  rate?: number;
  scenario?: Scenario;
  seed?: number;
  topic?: string;
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
  running = (async () => {
    const broker = await startBroker();
    try {
      const feed = await startFeed({ url: broker.url, control: true, ...options });
      return { url: broker.url, broker, feed };
    } catch (error) {
      await broker.close();
      throw error;
    }
  })();
  running.catch(() => (running = undefined));
  return running;
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
