/**
 * Memory for large incoming packets, used again once their message has been handled (ClientOptions'
 * recyclePayloads). A fresh 704 KB buffer per pulse costs twice: V8 counts the memory allocated outside its
 * heap since its last full collection, so 50 pulses a second bring on two full collections a second in a
 * process that keeps nothing (a quarter of the CPU `npm run listen` spent on a pulse at 50 Hz); and glibc may
 * hand freed memory back to the system, to fault it in again page by page. Only for a consumer that keeps
 * nothing of a message after onMessage returns.
 */

/** Buffers kept for reuse: a few, as mqtt.js may hold the next packets while one is being handled. */
const KEPT = 4;

export class PayloadPool {
  private readonly free: ArrayBuffer[] = [];
  /** The memory this pool handed out: nothing else is ever taken back (Node's shared pool, a library's buffer). */
  private readonly ours = new WeakSet<ArrayBuffer>();

  /** Memory for a packet of at least `bytes` bytes: used before, or new (its bytes not cleared). */
  alloc(bytes: number): ArrayBuffer {
    const k = this.free.findIndex((memory) => memory.byteLength >= bytes);
    if (k >= 0) return this.free.splice(k, 1)[0]!;
    const memory = Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer; // a fresh ArrayBuffer of exactly `bytes`
    this.ours.add(memory);
    return memory;
  }

  /** The message with this payload was handled: its memory may hold a later one. */
  release(payload: Uint8Array): void {
    const memory = payload.buffer as ArrayBuffer;
    if (this.ours.has(memory) && this.free.length < KEPT && !this.free.includes(memory)) this.free.push(memory);
  }

  /** How many buffers wait to be used again. */
  get size(): number {
    return this.free.length;
  }
}
