/** What a client hands to its callbacks: a message as it arrived, or a message it did not accept. */
import type { QoS } from "./delivery";

/** One message as it arrived. */
export interface Message {
  /** The topic it was published on: with a wildcard subscription, route by it. */
  readonly topic: string;
  /** The raw bytes. For the ISIS feed: 704,000 bytes, one pulse. */
  readonly payload: Buffer;
  /** When it arrived (ms since 1970, Date.now()). */
  readonly receivedAt: number;
  /** 1 for the first message this client received, then 2, 3 … */
  readonly seq: number;
  /** The quality of service it came with: the lower of the publisher's and our subscription's. */
  readonly qos: QoS;
  /** Whether the broker kept it for late subscribers (a retained message, sent as we subscribed). */
  readonly retain: boolean;
  /** Whether the sender marked it as a second try (DUP): it may have arrived already. */
  readonly dup: boolean;
}

/** A message that was not accepted, and why. Its bytes are not kept. */
export interface Rejection {
  readonly seq: number;
  readonly topic: string;
  /** Size of the payload in bytes. */
  readonly bytes: number;
  /** One line, e.g. "message too short: 23 bytes, … expected 704000 bytes". */
  readonly reason: string;
}
