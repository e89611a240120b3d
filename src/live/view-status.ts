/** The three status lines at the top of a live view's frame: what is shown, the counts, and the clock. */
import type { LiveViewStats } from "./view-metrics";
import type { MonitoredPulse } from "./pulse-monitor";

export interface StatusInput {
  /** The pulse on screen, if any. */
  readonly shown: MonitoredPulse | undefined;
  readonly stats: LiveViewStats;
  /** "connecting…", "running", "stopped" or "stopped by an error: …". */
  readonly state: string;
  /** Pulses per second arriving now. */
  readonly rateHz: number;
  readonly drawnPulses: number;
  /** Redraws so far, this frame included (as the final stats count them). */
  readonly redraws: number;
  readonly maxRedrawsPerSecond: number;
  /** The view's time limit in seconds (Infinity: none). */
  readonly limitSeconds: number;
  readonly stopped: boolean;
}

export function statusLines(input: StatusInput): [string, string, string] {
  const { shown, stats: s } = input;
  const a = shown?.analysis;
  const headline = a
    ? `Live view · pulse #${shown!.seq} · hottest ${a.hottestBlm} ${a.hottestBlmIntegralVms.toFixed(3)} V·ms · ${(a.survival * 100).toFixed(1)} % of the beam survived`
    : `Live view · ${input.state === "running" ? "waiting for the first pulse…" : input.state}`;
  const latency = Number.isFinite(s.latencyMs.last)
    ? `latency ${s.latencyMs.last.toFixed(0)} ms (median ${s.latencyMs.median.toFixed(0)} ms)`
    : "latency –";
  const counts =
    `received ${s.received} (${input.rateHz.toFixed(1)}/s now) · analysed ${s.analysed} · drawn ${input.drawnPulses} ` +
    `in ${input.redraws} redraws (at most ${input.maxRedrawsPerSecond}/s) · skipped ${s.skipped} · rejected ${s.rejected} · ${latency}`;
  const limit = Number.isFinite(input.limitSeconds) ? ` of ${input.limitSeconds} s` : "";
  // From the stats, rounded as they are, so that the frame and the stats a cell prints say the same.
  const pause = s.longestPauseMs >= 500 ? ` · longest pause ${(s.longestPauseMs / 1000).toFixed(1)} s (the notebook was busy)` : "";
  const clock = input.stopped ? `stopped after ${s.seconds.toFixed(1)} s` : `running for ${s.seconds.toFixed(1)} s${limit}`;
  return [headline, counts, clock + pause];
}
