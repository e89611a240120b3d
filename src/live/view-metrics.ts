/**
 * What a live view measures while it runs: redraws, pulses drawn, latency from a pulse's arrival to its frame,
 * and how long the event loop was blocked (by a busy cell, say); and the stats it reports from them.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { median } from "../median";
import { Ring } from "../ring";
import type { MonitorCounts } from "./pulse-monitor";

/** What a live view did. */
export interface LiveViewStats {
  /** Messages that arrived while the view ran. */
  readonly received: number;
  /** Pulses decoded and analysed: every good message (received − rejected). */
  readonly analysed: number;
  /** Messages that were not a pulse. */
  readonly rejected: number;
  /** Times the output was redrawn. */
  readonly redraws: number;
  /** Analysed pulses that were never drawn, because a newer one had arrived by the next redraw. */
  readonly skipped: number;
  /** How long the view ran, in seconds. */
  readonly seconds: number;
  /** Pulses analysed per second, on average. */
  readonly pulsesPerSecond: number;
  /** Redraws per second, on average. */
  readonly redrawsPerSecond: number;
  /** From a pulse's arrival to its frame being handed to the notebook, in ms: the last, the median and the largest. */
  readonly latencyMs: { readonly last: number; readonly median: number; readonly max: number };
  /** The longest time the event loop was blocked while the view ran (e.g. a cell kept the notebook busy), in ms. */
  readonly longestPauseMs: number;
  /** Sequence number of the last pulse drawn (undefined if none was). */
  readonly lastDrawnSeq: number | undefined;
}

/** Latencies kept for the median: the last 200 drawn pulses. */
const LATENCIES_KEPT = 200;

export class ViewMetrics {
  /** Times the output was redrawn. */
  redraws = 0;
  /** Pulses that made it onto the screen. */
  drawnPulses = 0;
  private readonly latencies = new Ring<number>(LATENCIES_KEPT);
  private maxLatency = NaN;
  private readonly delays = monitorEventLoopDelay({ resolution: 20 });

  constructor() {
    this.delays.enable();
  }

  /** A pulse is about to be drawn (counted before its frame, so that the frame's counts include it). */
  drawingPulse(): void {
    this.drawnPulses++;
  }

  /** A redraw happened; `latencyMs` is the drawn pulse's, if it showed a new one. */
  redrew(latencyMs?: number): void {
    this.redraws++;
    if (latencyMs === undefined) return;
    this.latencies.push(latencyMs);
    if (!(latencyMs <= this.maxLatency)) this.maxLatency = latencyMs;
  }

  /** Stops measuring the event loop. */
  stop(): void {
    this.delays.disable();
  }

  /** The longest time the event loop was blocked, in ms (0 if never more than a few ms). */
  get longestPauseMs(): number {
    const max = this.delays.max / 1e6; // ns → ms; the histogram starts at 9.2e12 ns when empty
    return Number.isFinite(max) && max < 1e9 && this.delays.count > 0 ? max : 0;
  }

  /**
   * The stats: `counts` are the monitor's now, `base` its counts when the view started (a view may show a
   * monitor that ran before it), `seconds` how long the view has run.
   */
  stats(
    counts: MonitorCounts,
    base: Pick<MonitorCounts, "received" | "analysed" | "rejected">,
    seconds: number,
    lastDrawnSeq: number | undefined,
  ): LiveViewStats {
    const analysed = counts.analysed - base.analysed;
    const latencies = this.latencies.toArray();
    return {
      received: counts.received - base.received,
      analysed,
      rejected: counts.rejected - base.rejected,
      redraws: this.redraws,
      skipped: Math.max(0, analysed - this.drawnPulses),
      // Rounded: students read these printed at the end of a cell.
      seconds: round(seconds, 2),
      pulsesPerSecond: seconds > 0 ? round(analysed / seconds, 1) : 0,
      redrawsPerSecond: seconds > 0 ? round(this.redraws / seconds, 1) : 0,
      latencyMs: { last: this.latencies.last() ?? NaN, median: median(latencies), max: this.maxLatency },
      longestPauseMs: round(this.longestPauseMs, 0),
      lastDrawnSeq,
    };
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
