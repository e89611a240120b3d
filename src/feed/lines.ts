/**
 * The feed's small messages as one line each, for people: what `npm run listen` prints and what the lessons show
 * when they watch the whole topic tree.
 */
import { clockTime } from "../text";
import type { FeedStatus, PulseSummary } from "./topics";

/** What a topic of the feed's tree carries, judged by its last level (…/summary, …/status, …/control). */
export type TopicKind = "summary" | "status" | "control" | "other";

/**
 * @example topicKind("ac_phys/workxp/status") // "status"
 * @example topicKind("ac_phys/workxp/live_signals") // "other"
 */
export function topicKind(topic: string): TopicKind {
  const last = topic.slice(topic.lastIndexOf("/") + 1);
  return last === "summary" || last === "status" || last === "control" ? last : "other";
}

const fixed = (value: number | null, digits: number, scale = 1) => (value === null ? "n/a" : (value * scale).toFixed(digits));

/**
 * @example summaryLine(summary) // "pulse 17 at 14:03:07.512 (nominal): survival 93.2 %, R5IM peak -3.150 V, hottest R1BLM3 0.3120 V·ms"
 */
export function summaryLine(s: PulseSummary): string {
  return (
    `pulse ${s.seq} at ${clockTime(Date.parse(s.time))} (${s.scenario}): survival ${fixed(s.survival, 1, 100)} %, ` +
    `R5IM peak ${fixed(s.intensityPeakV, 3)} V, hottest ${s.hottestBlm} ${fixed(s.hottestBlmIntegralVms, 4)} V·ms`
  );
}

/**
 * @example statusLine(status) // "feed online since 14:02:59.001: nominal pulses at 1 Hz"
 * @example statusLine(will)   // "feed OFFLINE (connection lost: its last will, published by the broker): was nominal at 1 Hz"
 */
export function statusLine(s: FeedStatus): string {
  const what = `${s.scenario} pulses at ${s.rateHz} Hz`;
  if (s.online) return `feed online since ${clockTime(Date.parse(s.time))}: ${what}`;
  const why = s.reason === "connection lost" ? "connection lost: its last will, published by the broker" : (s.reason ?? "no reason given");
  return `feed OFFLINE (${why}): was ${what}`;
}
