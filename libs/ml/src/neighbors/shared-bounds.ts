/**
 * Every row's list bound as the threads of one pair search know it, in shared memory. Each thread keeps
 * private lists, so without this a thread's bounds would come only from the tiles it happened to take:
 * a worker that joins late starts with empty lists and its screen passes ~10× the pairs the first
 * thread's does. Any thread's bound for a full list is an upper bound on the row's final k-th distance
 * (the merged list holds that list's k rows), so every thread may screen against the least of them.
 *
 * A bound is kept as the high 32 bits of its float64, rounded up: Atomics work on integers only (plain
 * float64 accesses to shared memory may tear), the word orders like the non-negative double it came
 * from, and rounding up keeps it an upper bound, loosened by at most 2⁻²⁰ of itself (2⁻¹⁰⁴² if subnormal). Two threads
 * publishing at once may leave the larger of their bounds: still a bound, only a looser one.
 */
export class SharedBounds {
  private static readonly scratch = new Float64Array(1);
  private static readonly words = new Uint32Array(SharedBounds.scratch.buffer);
  /** The little-endian index of a double's high word in `words`. */
  private static readonly HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  private static readonly INFINITY_HIGH = 0x7ff00000;

  private constructor(readonly buffer: SharedArrayBuffer, private readonly highWords: Int32Array) {}

  /** Unknown (+Infinity) bounds for `rows` rows. */
  static create(rows: number): SharedBounds {
    const buffer = new SharedArrayBuffer(rows * 4);
    const highWords = new Int32Array(buffer).fill(SharedBounds.INFINITY_HIGH);
    return new SharedBounds(buffer, highWords);
  }

  /** Another thread's view of the same bounds. */
  static of(buffer: SharedArrayBuffer): SharedBounds {
    return new SharedBounds(buffer, new Int32Array(buffer));
  }

  /** bound[r] ← min(bound[r], shared bound of r) for rows [from, to). */
  tighten(bound: Float64Array, from: number, to: number): void {
    for (let r = from; r < to; r++) {
      const shared = SharedBounds.value(Atomics.load(this.highWords, r));
      if (shared < bound[r]) bound[r] = shared;
    }
  }

  /** Publishes bound[r] for rows [from, to) where it is below the shared one. Bounds must be ≥ 0. */
  publish(bound: Float64Array, from: number, to: number): void {
    for (let r = from; r < to; r++) {
      const high = SharedBounds.highWordAbove(bound[r]);
      if (high < Atomics.load(this.highWords, r)) Atomics.store(this.highWords, r, high);
    }
  }

  private static value(high: number): number {
    SharedBounds.words[SharedBounds.HIGH] = high;
    SharedBounds.words[1 - SharedBounds.HIGH] = 0;
    return SharedBounds.scratch[0];
  }

  /** The least high word whose double (low word 0) is ≥ value; value ≥ 0, +Infinity included. */
  private static highWordAbove(value: number): number {
    SharedBounds.scratch[0] = value;
    const high = SharedBounds.words[SharedBounds.HIGH];
    return SharedBounds.words[1 - SharedBounds.HIGH] === 0 ? high : high + 1;
  }
}
