import { analysePulse, type PulseAnalysis } from "../beam/analysis";
import { MQTTClient, type ClientOptions, type Message } from "../mqtt/client";
import { decodePulse, type Pulse } from "../beam/decode";
import { envelopePulse } from "../beam/envelope";
import { Ring } from "../ring";

/** One analysed pulse as the monitor keeps it. */
export interface MonitoredPulse {
  readonly pulse: Pulse;
  readonly analysis: PulseAnalysis;
  readonly seq: number;
  readonly receivedAt: number;
}

/** The analysis of a past pulse, kept in the rolling history (the samples themselves are let go). */
export interface HistoryEntry {
  readonly seq: number;
  readonly receivedAt: number;
  readonly analysis: PulseAnalysis;
}

export interface PulseMonitorOptions extends ClientOptions {
  /** How many past pulses' analyses to keep (default 500: 10 s at 50 Hz). */
  history?: number;
}

/** What the monitor has counted so far. */
export interface MonitorCounts {
  /** Messages that arrived. */
  readonly received: number;
  /** Pulses decoded and analysed: every good message. */
  readonly analysed: number;
  /** Messages that were not a pulse. */
  readonly rejected: number;
  /** Pulses handed out by take(). */
  readonly taken: number;
  /** Analysed pulses that were superseded before anyone took them (e.g. while a cell was busy). */
  readonly skipped: number;
  /** Analysed pulses that had NaN or ±Infinity samples (see PulseAnalysis.nonFiniteSamples). */
  readonly flagged: number;
}

/**
 * Subscribes to the feed and analyses every pulse as it arrives (raw pulses, or envelopes from a classroom's
 * ac_phys/workxp/envelope topic, drawn out as pulses: see envelopePulse), but keeps only the latest pulse and a
 * bounded history of analyses. A slow reader (a plot, a busy cell) calls take() when it is ready and gets
 * the newest pulse; everything it missed is counted as skipped, never queued.
 * @example
 * const monitor = await new PulseMonitor().start();
 * await sleep(2000);
 * const latest = monitor.take(); // the newest pulse, or undefined if none arrived since the last take()
 * console.log(latest?.analysis.hottestBlm, monitor.counts.skipped, monitor.rate());
 * await monitor.stop();
 */
export class PulseMonitor {
  readonly client: MQTTClient;
  private readonly ring: Ring<HistoryEntry>;
  private current: MonitoredPulse | undefined;
  private fresh = false;
  private analysed = 0;
  private taken = 0;
  private skipped = 0;
  private flagged = 0;

  constructor(topic?: string, options: PulseMonitorOptions = {}) {
    this.ring = new Ring(options.history ?? 500);
    this.client = new MQTTClient(topic, options);
    this.client.onMessage = (message) => this.accept(message);
  }

  /** Connects and starts analysing. */
  async start(): Promise<this> {
    await this.client.connect();
    return this;
  }

  /** Disconnects. The latest pulse and the history stay readable. */
  stop(): Promise<void> {
    return this.client.disconnect();
  }

  /** The newest pulse not taken yet, or undefined; marks it taken. */
  take(): MonitoredPulse | undefined {
    if (!this.fresh) return undefined;
    this.fresh = false;
    this.taken++;
    return this.current;
  }

  /** The newest pulse, taken or not. */
  get latest(): MonitoredPulse | undefined {
    return this.current;
  }

  /** Analyses of recent pulses, oldest first. */
  history(): HistoryEntry[] {
    return this.ring.toArray();
  }

  get counts(): MonitorCounts {
    const { received, rejected } = this.client.stats;
    return { received, analysed: this.analysed, rejected, taken: this.taken, skipped: this.skipped, flagged: this.flagged };
  }

  /** Pulses per second over the last `windowMs` of the history (default 2 s). */
  rate(windowMs = 2000, now = Date.now()): number {
    const recent = this.history().filter((h) => now - h.receivedAt <= windowMs);
    return recent.length / (windowMs / 1000);
  }

  private accept(message: Message): void {
    // A raw pulse, or — on an envelope topic (a classroom's 50 Hz …/envelope) — an envelope drawn out as one. Told by
    // the topic, never by the size: a malformed pulse must stay a malformed pulse. A PayloadError counts as rejected.
    const envelope = message.topic.slice(message.topic.lastIndexOf("/") + 1) === "envelope";
    const pulse = envelope ? envelopePulse(message.payload) : decodePulse(message.payload);
    const analysis = analysePulse(pulse);
    this.analysed++;
    if (analysis.nonFiniteSamples > 0) this.flagged++;
    if (this.fresh) this.skipped++; // the previous one was never taken
    this.current = { pulse, analysis, seq: message.seq, receivedAt: message.receivedAt };
    this.fresh = true;
    this.ring.push({ seq: message.seq, receivedAt: message.receivedAt, analysis });
  }
}
