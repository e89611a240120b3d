import { Ring } from "../ring";
import { clockTime } from "../text";

/** One time the connection dropped while the client wanted to be connected. */
export interface Outage {
  /** When the connection dropped (ms since 1970). */
  readonly droppedAt: number;
  /** When the client was connected again; undefined while it is still down (or if it never came back). */
  readonly reconnectedAt: number | undefined;
  /** How long the client had no connection, in ms (up to now while it lasts). */
  readonly downMs: number;
  /** Reconnect attempts made meanwhile (they are spaced 1 s, 2 s, 4 s, 8 s, 8 s … apart). */
  readonly attempts: number;
  /**
   * Messages that were probably missed: the time between the last message before the drop and the first one
   * after it, times the rate seen before the drop, minus one. The feed's messages carry no sequence number, so
   * this is an estimate (exact to ±1 for a steady feed). Undefined when no rate was known (fewer than 3
   * messages before the drop); while no message has arrived since, it counts up to now.
   */
  readonly missed: number | undefined;
  /** The message rate before the drop, per second; undefined if fewer than 3 messages had arrived. */
  readonly rateHz: number | undefined;
  /** Why it dropped, one line. */
  readonly reason: string;
}

/** How many outages a client keeps (the oldest are let go; the counts keep growing). */
const OUTAGES_KEPT = 50;
/** Message arrival times kept for the rate estimate: 60 s at 50 Hz. */
const ARRIVALS_KEPT = 3000;

interface OpenOutage {
  droppedAt: number;
  reconnectedAt: number | undefined;
  attempts: number;
  lastBefore: number | undefined;
  rateHz: number | undefined;
  /** Where the gap in the messages ended: the first arrival after reconnecting, or the next drop. */
  gapEnd: number | undefined;
  gapEndedByArrival: boolean;
  reason: string;
}

/**
 * Keeps the record of a client's outages and the message rate that their missed counts are estimated from.
 * The client tells it about arrivals, drops, reconnect attempts and reconnects.
 */
export class OutageLog {
  private readonly arrivals = new Ring<number>(ARRIVALS_KEPT); // since the last reconnect
  private readonly outages = new Ring<OpenOutage>(OUTAGES_KEPT);
  private current: OpenOutage | undefined;
  /** Set when the client stops for good: an outage still open then ends there, not "now". */
  private endedAt: number | undefined;

  /** A message arrived at `at` (ms). */
  arrival(at: number): void {
    this.arrivals.push(at);
    const last = this.outages.last();
    if (last && last.reconnectedAt !== undefined && last.gapEnd === undefined) {
      last.gapEnd = at;
      last.gapEndedByArrival = true;
    }
  }

  /** The connection dropped at `at` (ms) for `reason`. */
  dropped(at: number, reason: string): void {
    if (this.current) return;
    const n = this.arrivals.length;
    const newest = this.arrivals.last();
    const oldest = this.arrivals.first();
    const span = newest !== undefined && oldest !== undefined ? (newest - oldest) / 1000 : 0;
    const previous = this.outages.last();
    // A connection too short to measure keeps the rate measured before.
    const rateHz = n >= 3 && span > 0 ? (n - 1) / span : previous?.rateHz;
    // No message since the last reconnect: the previous gap runs up to this drop, and this one starts here.
    if (previous && previous.gapEnd === undefined) previous.gapEnd = at;
    const lastBefore = newest ?? (previous ? at : undefined);
    this.current = {
      droppedAt: at,
      reconnectedAt: undefined,
      attempts: 0,
      lastBefore,
      rateHz,
      gapEnd: undefined,
      gapEndedByArrival: false,
      reason,
    };
    this.outages.push(this.current);
  }

  /** A reconnect attempt started. */
  attempt(): void {
    if (this.current) this.current.attempts++;
  }

  /** Connected again at `at` (ms). */
  reconnected(at: number): void {
    if (!this.current) return;
    this.current.reconnectedAt = at;
    this.current = undefined;
    this.arrivals.clear(); // the rate is measured afresh on each connection
  }

  /** The client stopped for good at `at`: an open outage ends there. */
  stopped(at: number): void {
    this.endedAt ??= at;
  }

  /** Whether the client is in an outage right now. */
  get down(): boolean {
    return this.current !== undefined;
  }

  /** How many outages there were (also those no longer kept). */
  get count(): number {
    return this.outages.pushed;
  }

  /** The outages, oldest first, as they stand at `now`. */
  list(now = Date.now()): Outage[] {
    const end = this.endedAt ?? now;
    return this.outages.toArray().map((o) => {
      const until = o.reconnectedAt ?? end;
      const gapEnd = o.gapEnd ?? end;
      let missed: number | undefined;
      if (o.rateHz !== undefined && o.lastBefore !== undefined) {
        const expected = ((gapEnd - o.lastBefore) / 1000) * o.rateHz;
        // The first message after the gap is not missed; before it arrives, the count runs up to now.
        missed = Math.max(0, Math.round(expected) - (o.gapEndedByArrival ? 1 : 0));
      }
      return Object.freeze({
        droppedAt: o.droppedAt,
        reconnectedAt: o.reconnectedAt,
        downMs: Math.max(0, until - o.droppedAt),
        attempts: o.attempts,
        missed,
        rateHz: o.rateHz,
        reason: o.reason,
      });
    });
  }
}

/**
 * One line about an outage, for printing.
 * @example describeOutage(client.outages[0])
 * // "connection lost at 14:03:07.512 for 3.2 s (4 reconnect attempts), about 160 messages missed at 50.0/s: the broker closed the connection"
 */
export function describeOutage(outage: Outage): string {
  const down =
    outage.reconnectedAt === undefined
      ? `still down after ${(outage.downMs / 1000).toFixed(1)} s`
      : `for ${(outage.downMs / 1000).toFixed(1)} s`;
  const attempts = `${outage.attempts} reconnect attempt${outage.attempts === 1 ? "" : "s"}`;
  const missed =
    outage.missed === undefined || outage.rateHz === undefined
      ? "missed messages unknown (no rate seen before)"
      : `about ${outage.missed} message${outage.missed === 1 ? "" : "s"} missed at ${outage.rateHz.toFixed(1)}/s`;
  return `connection lost at ${clockTime(outage.droppedAt)} ${down} (${attempts}), ${missed}: ${outage.reason}`;
}
