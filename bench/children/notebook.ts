/**
 * A notebook-like process: the built-in feed at 50 Hz and a subscriber in one Node process, as a student runs
 * them in a kernel.
 *   --feed worker      startBuiltInFeed(): broker + simulator on a thread of their own (what the lessons run)
 *   --feed main        startBroker() + startFeed() on the process's one thread (the arrangement before)
 *   --mode latency     MQTTClient + decodePulse + analysePulse on every pulse; publish → analysed per pulse
 *   --mode view        liveView() with its defaults, into a display that serialises each frame as tslab does
 *   --mode monitor     a PulseMonitor, as the notebooks use it (memory: answers {"cmd":"mem"})
 * Prints {"event":"ready"} once the feed runs; on {"cmd":"go","seconds":S} measures for S s and prints
 * {"event":"result", …}. Publish times come from the feed itself (BuiltInFeed.publishedAt), on the clock all
 * threads of the process share.
 */
import { parseArgs } from "node:util";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Feed } from "../../src/feed/feed";
import { FeedState, type Publication } from "../../src/feed/feed-state";
import type { LiveViewStats } from "../../src/live/live-view";
import type { EmbeddedBroker } from "../../src/mqtt/broker";
import { cpuSecondsSelf, emit, memoryMb, onCommands } from "../lib/child-io";
import { lm } from "../lib/module";

const {
  analysePulse,
  decodePulse,
  liveView,
  MQTTClient,
  PulseMonitor,
  readSettings,
  startBroker,
  startBuiltInFeed,
  startFeed,
  stopBuiltInFeed,
} = lm;

const { values } = parseArgs({
  options: {
    feed: { type: "string", default: "worker" },
    mode: { type: "string", default: "latency" },
    rate: { type: "string", default: "50" },
    "max-seconds": { type: "string", default: "900" },
  },
});

/** Now, on the clock every thread of this process shares (ms since 1970, sub-ms). */
const now = () => performance.timeOrigin + performance.now();

interface RunningFeed {
  url: string;
  feed: Feed;
  publication(samples: ArrayLike<number>): Publication | undefined;
  readonly publications: number;
  stop(): Promise<void>;
}

async function startTheFeed(rate: number): Promise<RunningFeed> {
  if (values.feed === "worker") {
    const builtIn = await startBuiltInFeed({ rate, seed: 1 });
    if (!builtIn.ownThread) throw new Error("the built-in feed did not get a thread of its own");
    return {
      url: builtIn.url,
      feed: builtIn.feed,
      publication: (s) => builtIn.publication(s),
      get publications() {
        return builtIn.publications;
      },
      stop: stopBuiltInFeed,
    };
  }
  // Before: broker and feed on this thread, as src/feed/built-in.ts ran them.
  const state = new FeedState("local");
  const broker: EmbeddedBroker = await startBroker();
  const feed = await startFeed({ url: broker.url, rate, seed: 1, onPublish: (s) => state.logPublish(s) });
  return {
    url: broker.url,
    feed,
    publication: (s) => state.publication(s),
    get publications() {
      return state.logged;
    },
    stop: async () => {
      await feed.stop();
      await broker.close();
    },
  };
}

/** Lateness of a 25 ms timer, sampled all along: how long a cell sent to the kernel now would wait to start. */
function cellProbe(): { stop(): { p99Ms: number; maxMs: number; samples: number } } {
  const late: number[] = [];
  let timer: NodeJS.Timeout;
  const arm = () => {
    const due = performance.now() + 25;
    timer = setTimeout(() => {
      late.push(performance.now() - due);
      arm();
    }, 25);
  };
  arm();
  return {
    stop() {
      clearTimeout(timer);
      const sorted = late.sort((a, b) => a - b);
      return { p99Ms: sorted[Math.ceil(0.99 * sorted.length) - 1] ?? NaN, maxMs: sorted.at(-1) ?? NaN, samples: sorted.length };
    },
  };
}

async function main() {
  const rate = Number(values.rate);
  const running = await startTheFeed(rate);
  const settings = readSettings({});
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const latency = async (seconds: number) => {
    const client = new MQTTClient(undefined, { url: running.url, settings });
    const latencies: number[] = [];
    // The window holds the pulses published from the one numbered window[0] to the one before window[1]: counted
    // by their numbers in the publish log, so that a pulse published as the window opens or closes is never
    // taken for a lost one (the feed's counters reach this thread every 20 ms).
    const window: [number, number] = [Infinity, Infinity];
    client.onMessage = (message) => {
      const pulse = decodePulse(message.payload);
      analysePulse(pulse);
      const done = now();
      const published = running.publication(pulse.data);
      if (published && published.number >= window[0] && published.number < window[1]) latencies.push(done - published.at);
    };
    await client.connect();
    await sleep(1000); // connected and warm
    const [skipped0, cpu0] = [running.feed.skipped, cpuSecondsSelf()];
    window[0] = running.publications;
    await sleep(seconds * 1000);
    window[1] = running.publications;
    const [skipped1, cpu1] = [running.feed.skipped, cpuSecondsSelf()];
    await sleep(500); // the last pulses on their way
    await client.disconnect();
    emit("result", {
      latencies,
      published: window[1] - window[0],
      skipped: skipped1 - skipped0,
      cpuPercent: ((cpu1 - cpu0) / seconds) * 100,
      memory: memoryMb(),
    });
  };

  const view = async (seconds: number) => {
    let serialised = 0;
    // tslab sends each update as a JSON message over ZeroMQ: the serialising is the kernel's part of the cost.
    const display = { html: (html: string) => void (serialised += JSON.stringify({ "text/html": html }).length), png: () => {} };
    const started = performance.now();
    const shown = liveView({ url: running.url, seconds, display });
    // The first frame with a pulse loads and compiles the plotting code (once per kernel); measure after it.
    while (shown.lastDrawn === undefined && performance.now() - started < 20_000) await sleep(5);
    const firstFrameMs = performance.now() - started;
    const base = shown.stats;
    const cpu0 = cpuSecondsSelf();
    const t0 = performance.now();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const probe = cellProbe();
    const stats: LiveViewStats = await shown;
    const cells = probe.stop();
    delay.disable();
    const measured = (performance.now() - t0) / 1000;
    emit("result", {
      stats,
      redrawsPerSecond: (stats.redraws - base.redraws) / measured,
      firstFrameMs,
      cpuPercent: ((cpuSecondsSelf() - cpu0) / measured) * 100,
      cellWait: cells,
      loopDelayMaxMs: delay.max / 1e6,
      serialisedMb: serialised / 1e6,
    });
  };

  let monitor: InstanceType<typeof PulseMonitor> | undefined;
  onCommands(
    async (command) => {
      if (command.cmd === "go" && values.mode === "latency") await latency(Number(command.seconds));
      else if (command.cmd === "go" && values.mode === "view") await view(Number(command.seconds));
      else if (command.cmd === "mem") emit("mem", { ...memoryMb(), cpuSeconds: cpuSecondsSelf(), analysed: monitor?.counts.analysed ?? 0 });
    },
    Number(values["max-seconds"]),
    async () => {
      await monitor?.stop();
      await running.stop();
    },
  );
  if (values.mode === "monitor") {
    monitor = await new PulseMonitor(undefined, { url: running.url, settings }).start();
    setInterval(() => monitor!.take(), 200).unref(); // a reader, as a live view is
  }
  emit("ready", { pid: process.pid, url: running.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`notebook: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
