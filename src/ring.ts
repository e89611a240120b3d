/** A fixed-size buffer that keeps the newest `capacity` items: memory stays bounded however long it runs. */
export class Ring<T> {
  private readonly items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`invalid capacity: ${capacity} (expected a whole number > 0)`);
  }

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
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

  /** The items, oldest first (a new array). */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
  }
}
