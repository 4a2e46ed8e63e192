/** FIFO with a capacity; pushing into a full queue evicts the oldest item and returns it. */
export class BoundedQueue<T> {
  private readonly items: T[] = [];

  constructor(private readonly capacity: number) {}

  push(item: T): T | undefined {
    this.items.push(item);
    return this.items.length > this.capacity ? this.items.shift() : undefined;
  }

  shift(): T | undefined {
    return this.items.shift();
  }

  drain(): T[] {
    return this.items.splice(0, this.items.length);
  }

  get length(): number {
    return this.items.length;
  }
}
