import { Transform, type TransformCallback } from "node:stream";
import type { PayloadPool } from "./payload-pool";

/** A PUBLISH that was too large, seen only by its header: its bytes were never kept. */
export interface OversizedMessage {
  /** The topic (cut to 200 characters). */
  readonly topic: string;
  /** Size of the message's payload in bytes. */
  readonly bytes: number;
}

const PUBLISH = 3;
const TOPIC_SHOWN = 200;
/** Packets from this size on get a buffer of their own, placed so that a PUBLISH payload starts 8-aligned. */
const OWN_BUFFER_BYTES = 4096;
const EMPTY = Buffer.alloc(0);
/** A socket reads straight into a packet being filled when this much of it is still to come (fewer reads below). */
const READ_IN_PLACE_BYTES = 16 * 1024;
/**
 * Bytes of whole packets held for mqtt.js before the socket is paused: a few pulses, so that a backlog (after a
 * busy cell) drains in large reads rather than one pause and resume per pulse.
 */
const HELD_BYTES = 4 * 1024 * 1024;

/**
 * Sits between the socket and mqtt.js's packet parser, and hands the parser every packet whole, in one Buffer of
 * its own — except PUBLISH packets whose payload is larger than `maxPayloadBytes`: their bytes are discarded as
 * they stream in, so a 10 MB message never costs 10 MB (mqtt.js alone would buffer the whole packet first, and
 * MQTT 3.1.1 has no way to tell the broker a size limit). Incoming messages are QoS 0 (the client subscribes at
 * QoS 0), so nothing waits for an acknowledgement of a dropped one.
 *
 * Why whole packets: a 704 KB pulse arrives in a dozen socket reads. Given them one by one, mqtt.js's parser
 * (bl) keeps every read and, once the packet is complete, concatenates them into a fresh payload; given the
 * packet in one Buffer, it hands out a view of it. So the bytes are copied once, here, into a buffer that
 * becomes the message's payload, its start 8-aligned so that decodePulse reads it in place. Every byte is copied
 * out of the chunks before feed() returns: the socket may reuse its read buffer (mqtt-patches.ts). A socket of
 * ours skips even that copy for the body of a large packet: it reads into readTarget(), and says so with
 * filledInPlace() (that copy was 15 % of the JS thread's time on a pulse at 50 Hz).
 */
export class SizeGuard extends Transform {
  /** Header bytes held until we know what to do: type byte, length (≤ 4), topic length (2). */
  private header: number[] = [];
  private mode: "header" | "fill" | "drop" | "broken" = "header";
  /** The packet being filled, and how much of it is. */
  private packet: Buffer = EMPTY;
  private filled = 0;
  private remaining = 0; // drop mode: body bytes still to come
  private topicBytes: number[] = [];
  private topicLength = 0;
  private dropped: OversizedMessage | undefined;
  private more = true;

  constructor(
    private readonly maxPayloadBytes: number,
    private readonly onOversized: (message: OversizedMessage) => void,
    /** Where large packets' memory comes from, if it is used again (ClientOptions.recyclePayloads). */
    private readonly pool?: PayloadPool,
  ) {
    super({ readableHighWaterMark: HELD_BYTES });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.feed(chunk);
    done();
  }

  /**
   * Takes bytes as they arrive and copies what it keeps, so `chunk` may be reused once this returns. Returns
   * false when the reader has more than it asked for: the caller should stop reading until `_read` is called.
   */
  feed(chunk: Uint8Array): boolean {
    this.more = true;
    let i = 0;
    while (i < chunk.length) {
      if (this.mode === "broken") {
        this.hand(Buffer.from(chunk.subarray(i))); // not MQTT as we know it: let mqtt.js's parser report it
        break;
      }
      if (this.mode === "fill") {
        const n = Math.min(this.packet.length - this.filled, chunk.length - i);
        this.packet.set(chunk.subarray(i, i + n), this.filled);
        this.filled += n;
        i += n;
        if (this.filled === this.packet.length) this.endPacket();
        continue;
      }
      if (this.mode === "drop") {
        const n = Math.min(this.remaining, chunk.length - i);
        this.collectTopic(chunk, i, n);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) this.endPacket();
        continue;
      }
      this.header.push(chunk[i]!);
      i++;
      this.decide();
    }
    return this.more;
  }

  /** The rest of the packet being filled, when a socket may read into it directly. */
  readTarget(): Uint8Array | undefined {
    if (this.mode !== "fill" || this.packet.length - this.filled < READ_IN_PLACE_BYTES) return undefined;
    return this.packet.subarray(this.filled);
  }

  /** `bytes` bytes were read into readTarget()'s view. Returns as feed() does. */
  filledInPlace(bytes: number): boolean {
    this.more = true;
    this.filled += bytes;
    if (this.filled === this.packet.length) this.endPacket();
    return this.more;
  }

  /** With the header bytes so far: keep, drop, or wait for more. */
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
      if (h.length > 4) {
        this.hand(Buffer.from(h)); // a fifth length byte does not exist in MQTT
        this.header = [];
        this.mode = "broken";
      }
      return;
    }
    const held = h.length - 1 - lengthBytes; // body bytes already held
    if (type !== PUBLISH || length < 2) {
      this.keep(1 + lengthBytes + length, 0);
      return;
    }
    if (held < 2) return; // wait for the topic length
    this.topicLength = (h[1 + lengthBytes]! << 8) | h[2 + lengthBytes]!;
    const qos = (h[0]! >> 1) & 3;
    const payloadAt = 1 + lengthBytes + 2 + this.topicLength + (qos > 0 ? 2 : 0); // MQTT 3.1.1 (5 adds properties)
    const payload = length + 1 + lengthBytes - payloadAt;
    if (payload <= this.maxPayloadBytes) {
      this.keep(1 + lengthBytes + length, payloadAt);
      return;
    }
    this.header = [];
    this.topicBytes = [];
    this.dropped = { topic: "", bytes: payload };
    this.mode = "drop";
    this.remaining = length - held;
    if (this.remaining === 0) this.endPacket();
  }

  /** Starts filling a packet of `bytes` bytes with the header held; a large one gets a buffer of its own. */
  private keep(bytes: number, payloadAt: number): void {
    if (bytes < OWN_BUFFER_BYTES)
      this.packet = Buffer.allocUnsafe(bytes); // from Node's shared pool
    else {
      const pad = (8 - (payloadAt % 8)) % 8; // an ArrayBuffer starts 8-aligned
      // Every byte is written before the packet is handed on.
      this.packet = this.pool ? Buffer.from(this.pool.alloc(pad + bytes), pad, bytes) : Buffer.allocUnsafeSlow(pad + bytes).subarray(pad);
    }
    this.packet.set(this.header);
    this.filled = this.header.length;
    this.header = [];
    this.mode = "fill";
    if (this.filled === this.packet.length) this.endPacket();
  }

  private collectTopic(chunk: Uint8Array, from: number, n: number): void {
    const want = Math.min(this.topicLength, TOPIC_SHOWN) - this.topicBytes.length;
    for (let k = 0; k < Math.min(want, n); k++) this.topicBytes.push(chunk[from + k]!);
  }

  private hand(bytes: Buffer): void {
    if (!this.push(bytes)) this.more = false;
  }

  private endPacket(): void {
    if (this.mode === "fill") this.hand(this.packet);
    else if (this.mode === "drop" && this.dropped) {
      const topic = Buffer.from(this.topicBytes).toString("utf8");
      const dropped = { topic, bytes: this.dropped.bytes };
      this.dropped = undefined;
      this.topicBytes = [];
      this.onOversized(dropped);
    }
    this.packet = EMPTY;
    this.mode = "header";
  }
}
