/**
 * src/live/: consuming the stream — collecting for a while (live-data.ts), analysing every pulse and keeping
 * the newest (pulse-monitor.ts), and the live view (this file, with redraw-throttle, view-metrics and
 * view-status). It may import kernel/, beam/, mqtt/, plots/ and the cross-cutting files.
 *
 * The live view: one notebook output that updates in place while pulses stream in. A PulseMonitor analyses
 * every pulse as it arrives; a timer redraws at most a few times per second with the newest pulse. Whatever
 * arrived in between (or while a cell kept the notebook busy) is analysed, counted as skipped and never queued.
 */
import { newNotebookDisplay, type DisplayLike } from "../kernel/display";
import { figureHtml } from "../plots/show";
import { liveFrame } from "../plots/live-frame";
import { PulseMonitor, type HistoryEntry, type MonitoredPulse } from "./pulse-monitor";
import { register, unregister, type Stoppable } from "../kernel/session";
import { RedrawThrottle } from "./redraw-throttle";
import { ViewMetrics, type LiveViewStats } from "./view-metrics";
import { statusLines } from "./view-status";

export type { LiveViewStats };

/** Options of {@link liveView}. */
export interface LiveViewOptions {
  /** Stop by itself after this many seconds (default 10; Infinity: only stop() or an interrupt stops it). */
  seconds?: number;
  /** Most redraws per second (default 12: smooth to the eye; a frame takes about 10 ms, so the notebook keeps 88 % of its time). */
  maxRedrawsPerSecond?: number;
  /** Pulses in the rolling history chart (default 250: 5 s at 50 Hz). */
  historyPulses?: number;
  /** Monitors in the rolling history chart: the hottest ones (default 5). */
  hottest?: number;
  /** Min/max decimation buckets for the drawn pulse (default 150: at most 300 points per trace). */
  buckets?: number;
  /** Figure width in px (default 960). */
  width?: number;
  /** Topic to listen to (default: the settings' topic, ac_phys/workxp/live_signals). */
  topic?: string;
  /** Broker URL (default: MQTT_URL, else the built-in feed). */
  url?: string;
  /** A monitor that is already running, to show instead of connecting a new one; it is left running at the end. */
  monitor?: PulseMonitor;
  /** Where to draw (default: a new tslab display that updates in place). */
  display?: DisplayLike;
  /** Starting a view with the same name stops this one, so re-running a cell never leaves two (default "live-view"). */
  name?: string;
}

/**
 * A live view that is running or has stopped. Await it (or `done`) for its stats; stop() ends it early.
 * It is a promise-like object: `const stats = await liveView({ seconds: 10 })` waits for the end.
 */
export class LiveView implements PromiseLike<LiveViewStats> {
  /** Resolves with the stats when the view has stopped and let go of its timer and client; rejects on an error. */
  readonly done: Promise<LiveViewStats>;
  /** The monitor that receives and analyses the pulses. */
  readonly monitor: PulseMonitor;

  private readonly options: Required<
    Pick<LiveViewOptions, "seconds" | "maxRedrawsPerSecond" | "historyPulses" | "hottest" | "buckets" | "width">
  >;
  private readonly display: DisplayLike;
  private readonly ownMonitor: boolean;
  private readonly session: Stoppable;
  private readonly startedAt = performance.now();
  private readonly base: { received: number; analysed: number; rejected: number };
  private resolve!: (stats: LiveViewStats) => void;
  private reject!: (error: unknown) => void;
  private readonly throttle: RedrawThrottle;
  private readonly metrics = new ViewMetrics();
  private heartbeat: NodeJS.Timeout | undefined;
  private endTimer: NodeJS.Timeout | undefined;
  /** Gives the monitor its own message handler back. */
  private unhook: () => void = () => {};
  private finishing: Promise<LiveViewStats> | undefined;
  /** Settles (never rejects) once connecting has succeeded or failed. */
  private starting: Promise<void> = Promise.resolve();
  private stoppedAt: number | undefined;
  private shown: MonitoredPulse | undefined;
  private status = "connecting…";

  constructor(options: LiveViewOptions = {}) {
    const seconds = options.seconds ?? 10;
    const rate = options.maxRedrawsPerSecond ?? 12;
    if (!(seconds > 0)) throw new RangeError(`invalid seconds: ${seconds} (expected a number > 0, or Infinity)`);
    if (!(rate > 0 && rate <= 60)) throw new RangeError(`invalid maxRedrawsPerSecond: ${rate} (expected 0 < rate ≤ 60)`);
    const historyPulses = options.historyPulses ?? 250;
    if (!(Number.isInteger(historyPulses) && historyPulses >= 2))
      throw new RangeError(`invalid historyPulses: ${historyPulses} (expected a whole number ≥ 2)`);
    this.options = {
      seconds,
      maxRedrawsPerSecond: rate,
      historyPulses,
      hottest: options.hottest ?? 5,
      buckets: options.buckets ?? 150,
      width: options.width ?? 960,
    };
    this.ownMonitor = options.monitor === undefined;
    this.monitor = options.monitor ?? new PulseMonitor(options.topic, { url: options.url, history: Math.max(500, historyPulses) });
    const counts = this.monitor.counts;
    this.base = { received: counts.received, analysed: counts.analysed, rejected: counts.rejected };
    this.done = new Promise<LiveViewStats>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.done.catch(() => {}); // a view nobody awaits must not end in an unhandled rejection
    // The first output appears now (tslab: display_data); every redraw replaces it (update_display_data).
    this.display = options.display ?? newNotebookDisplay();
    this.throttle = new RedrawThrottle(rate, () => {
      const latest = this.monitor.take();
      if (latest) this.redraw(latest);
    });
    this.display.html(figureHtml(this.frame(), { fallback: false }));
    this.session = {
      name: options.name ?? "live-view",
      disconnect: () =>
        this.stop().then(
          () => undefined,
          () => undefined,
        ),
    };
    // Interrupting the kernel, or starting another view of the same name, stops this one.
    register(this.session).catch(() => {});
    this.starting = this.start();
  }

  /** Stops the view now (safe to call twice) and resolves with its stats. */
  stop(): Promise<LiveViewStats> {
    return this.finish();
  }

  /** The stats so far (final once stopped). */
  get stats(): LiveViewStats {
    const seconds = ((this.stoppedAt ?? performance.now()) - this.startedAt) / 1000;
    return this.metrics.stats(this.monitor.counts, this.base, seconds, this.shown?.seq);
  }

  /** The pulse on screen now, if any. */
  get lastDrawn(): MonitoredPulse | undefined {
    return this.shown;
  }

  /** The analyses of the recent pulses (every one, not only those drawn), oldest first: e.g. for waterfall(). */
  history(): HistoryEntry[] {
    return this.monitor.history();
  }

  then<A = LiveViewStats, B = never>(
    onFulfilled?: ((stats: LiveViewStats) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.done.then(onFulfilled, onRejected);
  }

  private async start(): Promise<void> {
    try {
      if (this.ownMonitor) await this.monitor.start();
      if (this.finishing) return; // stopped while connecting
      this.status = "running";
      // Draw when a pulse arrives (at once if the last redraw is a period old, else when it is): a pulse at 1 Hz
      // shows within milliseconds, and at 50 Hz the redraws stay maxRedrawsPerSecond apart.
      const client = this.monitor.client;
      const analyse = client.onMessage;
      this.unhook = () => {
        if (client.onMessage === onMessage) client.onMessage = analyse;
      };
      const onMessage = (message: Parameters<typeof analyse>[0]) => {
        analyse.call(client, message); // throws for a message that is not a pulse: the client counts it as rejected
        this.wake();
      };
      client.onMessage = onMessage;
      // With no new pulse, the counts are still refreshed once a second (e.g. to show that nothing arrives).
      this.heartbeat = setInterval(() => {
        // With the newest pulse if one is waiting: after a busy cell this may fire before the planned redraw,
        // and must not show an older pulse than the newest analysed one.
        if (this.throttle.sinceLastMs() >= 1000) this.redraw(this.monitor.take());
      }, 1000);
      if (Number.isFinite(this.options.seconds)) {
        const left = this.options.seconds * 1000 - (performance.now() - this.startedAt);
        this.endTimer = setTimeout(() => void this.finish(), Math.max(0, left));
      }
      this.wake();
    } catch (error) {
      void this.finish(error);
    }
  }

  /** Plans a redraw for the newest pulse (see RedrawThrottle). */
  private wake(): void {
    if (!this.finishing) this.throttle.wake();
  }

  /** Draws, or stops the view if drawing fails. */
  private redraw(latest?: MonitoredPulse): void {
    if (this.finishing) return;
    try {
      this.draw(latest);
    } catch (error) {
      void this.finish(error);
    }
  }

  /** Redraws the output. Frames are inline SVG only; the last one also carries an image for sanitising viewers. */
  private draw(latest: MonitoredPulse | undefined, last = false): void {
    if (latest) {
      this.shown = latest;
      this.metrics.drawingPulse();
    }
    this.throttle.drew(); // from its start: redraws stay a period apart however long one takes
    this.display.html(figureHtml(this.frame(true), { fallback: last }));
    this.metrics.redrew(latest ? Date.now() - latest.receivedAt : undefined);
  }

  /** The figure; `redrawing` when it is a redraw (counted in its own status line, as the stats will count it). */
  private frame(redrawing = false): string {
    const shown = this.shown;
    const now = this.stoppedAt ?? performance.now();
    const history = this.monitor.history().slice(-this.options.historyPulses);
    return liveFrame({
      ...(shown ? { pulse: shown.pulse, analysis: shown.analysis, seq: shown.seq } : {}),
      history,
      status: statusLines({
        shown,
        stats: this.stats,
        state: this.status,
        // The rate over the last 2 s (or since the start, when that is shorter).
        rateHz: this.monitor.rate(Math.max(200, Math.min(2000, now - this.startedAt))),
        drawnPulses: this.metrics.drawnPulses,
        redraws: this.metrics.redraws + (redrawing ? 1 : 0),
        maxRedrawsPerSecond: this.options.maxRedrawsPerSecond,
        limitSeconds: this.options.seconds,
        stopped: this.stoppedAt !== undefined,
      }),
      width: this.options.width,
      buckets: this.options.buckets,
      hottest: this.options.hottest,
    });
  }

  /** Stops timers and the client; draws a last frame with the final counts; settles `done`. */
  private finish(error?: unknown): Promise<LiveViewStats> {
    this.finishing ??= (async () => {
      this.throttle.cancel();
      clearTimeout(this.endTimer);
      clearInterval(this.heartbeat);
      this.endTimer = this.heartbeat = undefined;
      unregister(this.session);
      let failure = error;
      try {
        await this.starting; // a client still connecting would otherwise connect after we let go of it
        this.unhook();
        if (this.ownMonitor) await this.monitor.stop();
      } catch (stopError) {
        failure ??= stopError;
      }
      if (failure === undefined) {
        // The last frame keeps the redraws a period apart too; then it shows the newest pulse and the final counts
        // (a saved notebook keeps this frame).
        const wait = this.throttle.waitMs();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      this.metrics.stop();
      this.stoppedAt = performance.now();
      this.status =
        failure === undefined ? "stopped" : `stopped by an error: ${failure instanceof Error ? failure.message : String(failure)}`;
      if (failure === undefined) {
        try {
          this.draw(this.monitor.take(), true);
        } catch (drawError) {
          failure = drawError;
        }
      }
      if (failure !== undefined) {
        this.reject(failure);
        throw failure;
      }
      const stats = this.stats;
      this.resolve(stats);
      return stats;
    })();
    this.finishing.catch(() => {});
    return this.finishing;
  }
}

/**
 * Starts a live view: one output in the notebook that updates in place with the newest pulse (all 39
 * monitors, decimated), a rolling history of the hottest monitors, and the message rate, skipped pulses and
 * latency. Every pulse is analysed; redraws happen at most `maxRedrawsPerSecond` times a second. It stops
 * after `seconds`, on stop(), or when the kernel is interrupted, and leaves no timer or client behind.
 * @example
 * await startBuiltInFeed({ rate: 50 });
 * const stats = await liveView({ seconds: 10 }); // { received: 500, analysed: 500, redraws: 120, skipped: 380, … }
 */
export function liveView(options: LiveViewOptions = {}): LiveView {
  return new LiveView(options);
}
