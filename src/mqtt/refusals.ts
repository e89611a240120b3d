/**
 * What a broker refused a client — a publish or a subscription — said in one line, once: the rule in the words of
 * our classroom broker (its notice on BROKER_NOTICE_TOPIC), or a generic line for any broker that only answers
 * SUBACK 128. A refused QoS 0 publish cannot be told otherwise (MQTT 3.1.1 has no negative answer to it).
 */
import { Ring } from "../ring";

/** How long to wait for our broker's notice after a SUBACK refusal, before saying the generic line (ms). */
const NOTICE_WAIT_MS = 300;

export class Refusals {
  /** Refusals said so far. */
  count = 0;
  private readonly recent = new Ring<{ line: string; at: number }>(5);

  /** @param say prints and keeps one line (the client scrubs and remembers it). */
  constructor(private readonly say: (line: string) => void) {}

  /** A notice from our broker: the rule that stopped us, as one line of text. */
  notice(payload: Buffer): void {
    this.add(payload.toString("utf8"));
  }

  /**
   * Whether a failed subscribe was the broker saying no (mqtt.js attaches the SUBACK, whose code has 0x80 set);
   * if so, the generic line follows unless the broker's notice naming the rule comes first.
   */
  subscribeRefused(error: unknown, url: string | undefined, filter: string): boolean {
    const granted = (error as { packet?: { granted?: unknown[] } }).packet?.granted ?? [];
    if (!granted.some((g) => typeof g === "number" && (g & 0x80) !== 0)) return false;
    const at = Date.now();
    setTimeout(() => {
      if (this.recent.toArray().some((n) => n.at >= at - 1000 && n.line.includes(filter))) return;
      this.add(`the broker at ${url} refused the subscription to ${filter}: ask whoever runs it which topics you may read`);
    }, NOTICE_WAIT_MS).unref();
    return true;
  }

  private add(line: string): void {
    const text = line.replace(/\s+/g, " ").slice(0, 300); // a broker's words, kept to one short line
    this.count++;
    this.recent.push({ line: text, at: Date.now() });
    this.say(text);
  }
}
