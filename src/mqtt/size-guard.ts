import { Transform, type TransformCallback } from "node:stream";

/** A PUBLISH that was too large, seen only by its header: its bytes were never kept. */
export interface OversizedMessage {
  /** The topic (cut to 200 characters). */
  readonly topic: string;
  /** Size of the message's payload in bytes. */
  readonly bytes: number;
}

const PUBLISH = 3;
const TOPIC_SHOWN = 200;

/**
 * Sits between the socket and mqtt.js's packet parser and lets every packet through unchanged, except
 * PUBLISH packets whose payload is larger than `maxPayloadBytes`: their bytes are discarded as they
 * stream in, so a 10 MB message never costs 10 MB (mqtt.js alone would buffer the whole packet first,
 * and MQTT 3.1.1 has no way to tell the broker a size limit). Incoming messages are QoS 0 (the client
 * subscribes at QoS 0), so nothing waits for an acknowledgement of a dropped one.
 */
export class SizeGuard extends Transform {
  /** Header bytes held until we know whether the packet passes: type byte, length (≤ 4), topic length (2). */
  private header: number[] = [];
  private remaining = 0; // bytes of the current packet's body still to come (after the header bytes held)
  private mode: "header" | "pass" | "drop" | "broken" = "header";
  private topicBytes: number[] = [];
  private topicLength = 0;
  private dropped: OversizedMessage | undefined;

  constructor(
    private readonly maxPayloadBytes: number,
    private readonly onOversized: (message: OversizedMessage) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.mode === "broken") {
        this.push(chunk.subarray(i)); // not MQTT as we know it: let mqtt.js's parser report it
        break;
      }
      if (this.mode === "pass" || this.mode === "drop") {
        const n = Math.min(this.remaining, chunk.length - i);
        if (this.mode === "pass")
          this.push(chunk.subarray(i, i + n)); // a view, never a copy
        else this.collectTopic(chunk, i, n);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) this.endPacket();
        continue;
      }
      this.header.push(chunk[i]!);
      i++;
      this.decide();
    }
    done();
  }

  /** With the header bytes so far: pass, drop, or wait for more. */
  private decide(): void {
    const h = this.header;
    const type = h[0]! >> 4;
    // The remaining length: 1–4 bytes, 7 bits each, low first; the top bit says "more follows".
    let length = 0;
    let lengthBytes = 0;
    for (let k = 1; k < h.length && k <= 4; k++) {
      length += (h[k]! & 0x7f) * 128 ** (k - 1);
      if ((h[k]! & 0x80) === 0) {
        lengthBytes = k;
        break;
      }
    }
    if (lengthBytes === 0) {
      if (h.length > 4) this.flush("broken"); // a fifth length byte does not exist in MQTT
      return;
    }
    const held = h.length - 1 - lengthBytes; // body bytes already held
    if (type !== PUBLISH || length < 2) {
      this.flush("pass", length - held);
      return;
    }
    if (held < 2) return; // wait for the topic length
    this.topicLength = (h[1 + lengthBytes]! << 8) | h[2 + lengthBytes]!;
    const qos = (h[0]! >> 1) & 3;
    const payload = length - 2 - this.topicLength - (qos > 0 ? 2 : 0);
    if (payload <= this.maxPayloadBytes) {
      this.flush("pass", length - held);
      return;
    }
    this.header = [];
    this.topicBytes = [];
    this.dropped = { topic: "", bytes: payload };
    this.mode = "drop";
    this.remaining = length - held;
    if (this.remaining === 0) this.endPacket();
  }

  private flush(mode: "pass" | "broken", remaining = 0): void {
    this.push(Buffer.from(this.header));
    this.header = [];
    this.mode = mode;
    this.remaining = remaining;
    if (mode === "pass" && remaining === 0) this.endPacket();
  }

  private collectTopic(chunk: Buffer, from: number, n: number): void {
    const want = Math.min(this.topicLength, TOPIC_SHOWN) - this.topicBytes.length;
    for (let k = 0; k < Math.min(want, n); k++) this.topicBytes.push(chunk[from + k]!);
  }

  private endPacket(): void {
    if (this.mode === "drop" && this.dropped) {
      const topic = Buffer.from(this.topicBytes).toString("utf8");
      const dropped = { topic, bytes: this.dropped.bytes };
      this.dropped = undefined;
      this.topicBytes = [];
      this.onOversized(dropped);
    }
    this.mode = "header";
  }
}
