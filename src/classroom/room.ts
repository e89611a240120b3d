/**
 * What the instructor sees of the room, made from the embedded broker's reports: who is connected (and since when,
 * to what, how much they are sent), who dropped, what students publish in their branches (the alarms), what the
 * rules refused, and the room's outgoing traffic against the link's capacity. Every list is bounded (src/ring.ts);
 * nothing here ever holds a password.
 */
import type { BrokerClient, BrokerEvents } from "../mqtt/broker";
import { Ring } from "../ring";
import { FEED_USER, inside } from "./rules";
import { STUDENTS_TREE } from "../feed/topics";

/** One connected client as the dashboard shows it. */
export interface StudentRow {
  readonly user: string;
  readonly clientId: string;
  readonly connectedAt: number;
  readonly subscriptions: readonly string[];
  /** Messages and bytes the broker sent it per second, over the last sample interval. */
  readonly messagesPerS: number;
  readonly bytesPerS: number;
}

/** Something that happened, newest last in the lists. */
export interface RoomEvent {
  readonly at: number;
  readonly user: string;
  readonly clientId: string;
  readonly text: string;
}

/** The room now: what the dashboard page draws, sent to it once a second. */
export interface RoomSnapshot {
  readonly at: number;
  readonly students: readonly StudentRow[];
  /** Connections that ended, with how long they lasted ("connected for 12 s"). */
  readonly drops: readonly RoomEvent[];
  /** What students published under workxp/students/<user>/ (the text, cut to 200 characters). */
  readonly alarms: readonly (RoomEvent & { readonly topic: string })[];
  /** What the rules refused: connections, publishes, subscriptions. */
  readonly refusals: readonly RoomEvent[];
  /** Bytes the broker sent per second, to everyone together, and the link's capacity (bytes per second). */
  readonly bytesOutPerS: number;
  readonly linkBytesPerS: number;
  /** "ok", "warning" (over 70 % of the link) or "saturated" (over 95 %). */
  readonly linkState: "ok" | "warning" | "saturated";
  /** Outgoing bytes per second over the last minutes, oldest first (one point per sample). */
  readonly history: readonly { readonly at: number; readonly bytesOutPerS: number; readonly students: number }[];
  /** Raw pulses per second, pulses per second on the compact topics, and the machine's pulses so far. */
  readonly feed: {
    readonly rateHz: number;
    readonly compactRateHz: number;
    readonly scenario: string;
    readonly published: number;
    readonly skipped: number;
  };
}

/** What the room asks of the feed (the classroom's running feed, whatever it is). */
export interface FeedInfo {
  readonly rate: number;
  readonly compactRate: number;
  readonly scenario: string;
  readonly published: number;
  readonly skipped: number;
}

/** How many of each kind of event a room keeps, and how many history points (at one a second: 5 minutes). */
const KEPT_EVENTS = 200;
const KEPT_HISTORY = 300;
/** Share of the link at which the dashboard warns, and at which it calls the link saturated. */
const LINK_WARNING = 0.7;
const LINK_SATURATED = 0.95;

/**
 * A link capacity from the command line: "100mbit", "1gbit", "54Mbit/s", "500kbit" → bytes per second.
 * @throws RangeError for anything else.
 * @example parseLink("100mbit") // 12500000
 */
export function parseLink(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmg])bit(?:\/s|ps)?\s*$/i.exec(text);
  if (!m) throw new RangeError(`invalid --link: ${text} (expected e.g. 100mbit, 1gbit or 54mbit)`);
  const factor = { k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as "k" | "m" | "g"];
  const bytes = (Number(m[1]) * factor) / 8;
  if (!(bytes > 0)) throw new RangeError(`invalid --link: ${text} (expected more than 0)`);
  return bytes;
}

/** The room: feed it the broker's events (`room.events`), call sample() once a second, read snapshot(). */
export class Room {
  /** Pass these to startBroker({ events }). */
  readonly events: BrokerEvents;
  private readonly drops = new Ring<RoomEvent>(KEPT_EVENTS);
  private readonly alarms = new Ring<RoomEvent & { topic: string }>(KEPT_EVENTS);
  private readonly refusals = new Ring<RoomEvent>(KEPT_EVENTS);
  private readonly history = new Ring<{ at: number; bytesOutPerS: number; students: number }>(KEPT_HISTORY);
  private previous = new Map<string, { at: number; messagesOut: number; bytesOut: number }>();
  private rows: StudentRow[] = [];
  private bytesOutPerS = 0;
  private sampledAt = 0;

  constructor(
    private readonly clients: () => BrokerClient[],
    private readonly feed: () => FeedInfo,
    /** The link's capacity in bytes per second (parseLink). */
    readonly linkBytesPerS: number,
    private readonly now: () => number = Date.now,
  ) {
    this.events = {
      disconnected: (client, at) => {
        const seconds = Math.round((at - client.connectedAt) / 1000);
        this.drops.push({ at, user: client.username ?? "(anonymous)", clientId: client.clientId, text: `connected for ${seconds} s` });
      },
      published: (client, topic, payload) => {
        if (client.username === FEED_USER || !inside(STUDENTS_TREE, topic)) return;
        const text = payload.subarray(0, 200).toString("utf8");
        this.alarms.push({ at: this.now(), user: client.username ?? "(anonymous)", clientId: client.clientId, topic, text });
      },
      refused: (clientId, username, line) => {
        this.refusals.push({ at: this.now(), user: username ?? "(anonymous)", clientId, text: line });
      },
    };
  }

  /** Takes a sample of every connection's counters: the rates are the change since the previous sample. */
  sample(): void {
    const at = this.now();
    const next = new Map<string, { at: number; messagesOut: number; bytesOut: number }>();
    let total = 0;
    this.rows = this.clients().map((c) => {
      const before = this.previous.get(c.clientId);
      // A connection first seen now, or one that replaced another of the same id, counts from its start.
      const since = before && before.bytesOut <= c.bytesOut ? before : { at: c.connectedAt, messagesOut: 0, bytesOut: 0 };
      const seconds = Math.max(0.001, (at - since.at) / 1000);
      const bytesPerS = (c.bytesOut - since.bytesOut) / seconds;
      total += bytesPerS;
      next.set(c.clientId, { at, messagesOut: c.messagesOut, bytesOut: c.bytesOut });
      return {
        user: c.username ?? "(anonymous)",
        clientId: c.clientId,
        connectedAt: c.connectedAt,
        subscriptions: c.subscriptions,
        messagesPerS: (c.messagesOut - since.messagesOut) / seconds,
        bytesPerS,
      };
    });
    this.previous = next;
    this.bytesOutPerS = total;
    this.sampledAt = at;
    this.history.push({ at, bytesOutPerS: total, students: this.rows.filter((r) => r.user !== FEED_USER).length });
  }

  /** The room as of the last sample. */
  snapshot(): RoomSnapshot {
    const share = this.bytesOutPerS / this.linkBytesPerS;
    const feed = this.feed();
    return {
      at: this.sampledAt,
      students: this.rows.filter((r) => r.user !== FEED_USER),
      drops: this.drops.toArray(),
      alarms: this.alarms.toArray(),
      refusals: this.refusals.toArray(),
      bytesOutPerS: this.bytesOutPerS,
      linkBytesPerS: this.linkBytesPerS,
      linkState: share > LINK_SATURATED ? "saturated" : share > LINK_WARNING ? "warning" : "ok",
      history: this.history.toArray(),
      feed: {
        rateHz: feed.rate,
        compactRateHz: feed.compactRate,
        scenario: feed.scenario,
        published: feed.published,
        skipped: feed.skipped,
      },
    };
  }
}
