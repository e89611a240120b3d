/**
 * The one bounded buffer of the project: it keeps the newest `capacity` items and lets older ones go, so memory
 * stays bounded however long a stream runs, while `pushed` still counts everything that came. Used for a
 * client's error lines and outages, message arrival times, kept pulses, latencies and the monitor's history.
 */
export class Ring<T> {
  private readonly items: T[] = [];
  private start = 0;
  private total = 0;

  /** @param capacity how many items to keep: a whole number ≥ 0 (0 keeps none, and only counts). */
  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity >= 0)) throw new RangeError(`invalid capacity: ${capacity} (expected a whole number ≥ 0)`);
  }

  /** How many items are kept now (at most `capacity`). */
  get length(): number {
    return this.items.length;
  }

  /** How many items were ever pushed (since the last clear()): kept ones and those let go. */
  get pushed(): number {
    return this.total;
  }

  /** Adds an item as the newest; the oldest is let go when the ring is full. */
  push(item: T): void {
    this.total++;
    if (this.capacity === 0) return;
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The newest item, if any. */
  last(): T | undefined {
    return this.items.length ? this.items[(this.start + this.items.length - 1) % this.items.length] : undefined;
  }

  /** The oldest item kept, if any. */
  first(): T | undefined {
    return this.items.length ? this.items[this.start] : undefined;
  }

  /** Replaces the newest item (e.g. "… (×3)" for a repeated line). Does nothing when the ring is empty. */
  replaceLast(item: T): void {
    if (this.items.length) this.items[(this.start + this.items.length - 1) % this.items.length] = item;
  }

  /** The items, oldest first (a new array). */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  /** Forgets every item and the count. */
  clear(): void {
    this.items.length = 0;
    this.start = 0;
    this.total = 0;
  }
}
