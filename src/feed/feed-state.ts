/**
 * What the built-in feed shows of itself to the thread that started it, in memory both threads share: its
 * counters (published, skipped, connected, backlog, broker clients), written by the feed's thread and read at
 * any time by the notebook's; the scenario it simulates, written by whichever thread changes it; and a log of
 * when its last pulses were published, to time their journey.
 */
import { SAMPLES } from "../beam/layout";

const COUNTERS = 5;
/** Where the scenario (its index in SCENARIOS) is kept: after the counters, apart from their regular writes. */
const SCENARIO = COUNTERS;
/** Where the number of publishes logged is kept. */
const LOG_COUNT = COUNTERS + 1;
/** Publishes remembered for publishedAt(): about 1.3 s at 50 Hz. */
const LOGGED = 64;
/** The samples that tell pulses apart: R1BLM3, R5BLM2 and R5IM at ≈ 4.5 ms, where noise makes every pulse different. */
const FINGERPRINT = [5 * SAMPLES + 1000, 20 * SAMPLES + 1000, 39 * SAMPLES + 1000] as const;
/** Numbers per logged publish: the time and the fingerprint. */
const ENTRY = 1 + FINGERPRINT.length;

/** The counters the feed's thread keeps up to date. */
export interface FeedCounters {
  published: number;
  skipped: number;
  connected: boolean;
  backlogBytes: number;
  connectedClients: number;
}

/** A pulse the feed published: when (ms since 1970, sub-ms), and its number in the order of publishing. */
export interface Publication {
  readonly at: number;
  readonly number: number;
}

/** One shared block: the counters, the scenario, the number of publishes logged, and the log (time, fingerprint) × LOGGED. */
export class FeedState {
  private readonly values: Float64Array;

  /** New shared memory (for another thread), or plain memory (for this one); or a view of memory another thread made. */
  constructor(readonly memory: SharedArrayBuffer | ArrayBuffer | "shared" | "local" = "shared") {
    const bytes = (LOG_COUNT + 1 + ENTRY * LOGGED) * 8;
    if (memory === "shared") this.memory = new SharedArrayBuffer(bytes);
    else if (memory === "local") this.memory = new ArrayBuffer(bytes);
    this.values = new Float64Array(this.memory as ArrayBuffer);
  }

  /** Written by the feed's thread. */
  write(c: FeedCounters): void {
    const v = this.values;
    v[0] = c.published;
    v[1] = c.skipped;
    v[2] = c.connected ? 1 : 0;
    v[3] = c.backlogBytes;
    v[4] = c.connectedClients;
  }

  read(): FeedCounters & { scenario: number } {
    const v = this.values;
    return {
      published: v[0]!,
      skipped: v[1]!,
      connected: v[2] === 1,
      backlogBytes: v[3]!,
      connectedClients: v[4]!,
      scenario: v[SCENARIO]!,
    };
  }

  /** The scenario now simulated, as its index in SCENARIOS: by the thread that asks for it, and by the feed's. */
  writeScenario(index: number): void {
    this.values[SCENARIO] = index;
  }

  /** Logs a pulse just published (by the feed's thread): now, on a clock all threads share (ms since 1970). */
  logPublish(samples: Float64Array): void {
    const v = this.values;
    const n = v[LOG_COUNT]!;
    const at = LOG_COUNT + 1 + ENTRY * (n % LOGGED);
    v[at] = performance.timeOrigin + performance.now(); // each thread has its own origin: their sum is shared
    FINGERPRINT.forEach((sample, k) => (v[at + 1 + k] = samples[sample]!));
    v[LOG_COUNT] = n + 1;
  }

  /** How many pulses were logged so far: the number the next one will get. */
  get logged(): number {
    return this.values[LOG_COUNT]!;
  }

  /**
   * When the pulse with these samples was published (ms since 1970, sub-ms) and its number in the order of
   * publishing (the first is 0), if it is one of the last 64.
   */
  publication(samples: ArrayLike<number>): Publication | undefined {
    const v = this.values;
    const n = v[LOG_COUNT]!;
    for (let k = n - 1; k >= Math.max(0, n - LOGGED); k--) {
      const at = LOG_COUNT + 1 + ENTRY * (k % LOGGED);
      if (FINGERPRINT.every((sample, j) => v[at + 1 + j] === samples[sample])) return { at: v[at]!, number: k };
    }
    return undefined;
  }

  /** When the pulse with these samples was published (ms since 1970, sub-ms), if it is one of the last 64. */
  publishedAt(samples: ArrayLike<number>): number | undefined {
    return this.publication(samples)?.at;
  }
}
