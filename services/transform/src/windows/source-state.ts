/**
 * The integer sums kept per bucket and as each window's running total. Every one is an integer
 * (bytes rounded, gaps in whole ms), so adding a bucket and later subtracting it leaves a total
 * exactly as if the bucket had never been there: running totals always equal the totals recomputed
 * from the buckets, whatever the history, which is what lets a restored snapshot go on
 * bit-identically. SIGHTINGS is bookkeeping, not a feature: the queue entries a bucket owns.
 */
const COUNT = 0;
const FAILED = 1;
const SMALL = 2;
const BYTES_IN = 3;
const BYTES_OUT = 4;
const GAPS = 5;
const GAP_MS = 6;
const GAP_MS_SQUARED = 7;
const SIGHTINGS = 8;
/** Sums that describe flows (and go into a snapshot); SIGHTINGS follows them. */
const SUMS = 8;
const STRIDE = 9;

/**
 * A window's block in SourceState.state: a header, the running total, then one STRIDE per bucket
 * slot. The header caches the head bucket's boundaries so that the per-flow path compares times
 * instead of dividing them.
 */
const HEAD = 0; // bucket number floor(t / bucketMs) of the newest bucket: the window ends there
const HEAD_START = 1; // HEAD·bucketMs: a sighting at or after it is in the head bucket
const NEXT_START = 2; // (HEAD + 1)·bucketMs: a flow before it stays in the head bucket
const WINDOW_START = 3; // (HEAD − n + 1)·bucketMs: a sighting before it is outside the window
const HEAD_AT = 4; // offset in state of the head bucket's sums
const DISTINCT_HOSTS = 5;
const DISTINCT_PORTS = 6;
const FRONT = 7; // queue index of the oldest live sighting
const TOTAL = 8;

export { COUNT, FAILED, SMALL, GAPS, SUMS };

/** The features of every window, in the order writeFeatures produces them. */
export const FEATURES = [
  'src_conn_count',
  'src_distinct_dst_hosts',
  'src_distinct_dst_ports',
  'src_failed_share',
  'src_bytes_out_share',
  'src_small_flow_share',
  'src_iat_mean_s',
  'src_iat_cv',
] as const;

/** A destination of one source, shared by all its windows: a host (string) or a port (number). */
export class Destination {
  /** How many of the source's windows hold it; the entry is dropped at 0. */
  windows = 0;
  /** Scratch for the snapshot codec (table index, anchor count); meaningless between its calls. */
  mark = 0;

  constructor(
    readonly key: string | number,
    /** Clamped event time of the source's latest flow to this destination. */
    public last: number,
  ) {}
}

/**
 * Everything kept for one source. The numbers of all its windows live in one array (unboxed
 * doubles, one object to reach instead of several), laid out by the WindowLayouts.
 */
export class SourceState {
  readonly state: number[];
  /** Per window: first sightings of destinations per bucket, oldest bucket first (see WindowLayout). */
  readonly queues: Destination[][];
  /** Every destination host (string) and port (number) still inside at least one window. */
  readonly destinations = new Map<string | number, Destination>();

  constructor(
    /** Event time of the source's latest flow after clamping; never decreases. */
    public last: number,
    layouts: readonly WindowLayout[],
  ) {
    this.state = new Array<number>(layouts.reduce((size, l) => size + l.size, 0)).fill(0);
    this.queues = layouts.map(() => []);
    for (const l of layouts) l.reset(this.state);
  }
}

/**
 * One window (length n·bucketMs) as laid out in every SourceState: a ring of n buckets indexed by
 * bucket number modulo n, running totals over buckets head−(n−1) … head, and distinct counters.
 * Shared by all sources of a stream; every method takes the source it works on.
 *
 * Distinct destinations: a destination is in the window while the bucket of its latest sighting
 * is. The first sighting of a destination in a bucket is appended to the window's queue, so each
 * bucket owns a contiguous run of it, oldest bucket first. When a bucket leaves, its run leaves the
 * queue front, and the destinations whose latest sighting was in it leave the window (buckets leave
 * oldest first and `last` only grows, so that is exact). The queue holds the shared Destination
 * objects, so an eviction reads fields instead of hashing keys.
 */
export class WindowLayout {
  /** Numbers this window occupies in SourceState.state. */
  readonly size: number;

  constructor(
    readonly window: number,
    readonly bucketMs: number,
    readonly buckets: number,
    /** Offset of this window's block in SourceState.state. */
    readonly base: number,
  ) {
    this.size = TOTAL + STRIDE * (buckets + 1);
  }

  /** A fresh block: no head yet, so the first flow's bucket becomes it. */
  reset(state: number[]): void {
    state[this.base + HEAD] = -Infinity;
    state[this.base + HEAD_START] = Infinity;
    state[this.base + NEXT_START] = -Infinity;
    state[this.base + WINDOW_START] = Infinity;
  }

  head(source: SourceState): number {
    return source.state[this.base + HEAD];
  }

  /** Slides the window forward to contain `time` (≥ every earlier time), evicting what falls out. */
  advance(source: SourceState, time: number): void {
    const state = source.state;
    const b = this.base;
    if (time < state[b + NEXT_START]) return;
    const index = Math.floor(time / this.bucketMs);
    const head = state[b + HEAD];
    if (head !== -Infinity) {
      // Entering bucket i pushes out bucket i − n; a jump of n or more buckets pushes out all n.
      const until = Math.min(index, head + this.buckets);
      for (let i = head + 1; i <= until; i++) {
        const at = this.slotAt(i);
        if (state[at + COUNT] > 0) this.evict(source, at, i - this.buckets);
      }
    }
    this.setHead(state, index);
  }

  /** Adds one flow (and its gap when gapMs ≥ 0) to the head bucket and the running total. */
  addFlow(source: SourceState, failed: number, small: number, bytesIn: number, bytesOut: number, gapMs: number): void {
    const state = source.state;
    const t = this.base + TOTAL;
    const at = state[this.base + HEAD_AT];
    state[t + COUNT] += 1;
    state[at + COUNT] += 1;
    state[t + FAILED] += failed;
    state[at + FAILED] += failed;
    state[t + SMALL] += small;
    state[at + SMALL] += small;
    state[t + BYTES_IN] += bytesIn;
    state[at + BYTES_IN] += bytesIn;
    state[t + BYTES_OUT] += bytesOut;
    state[at + BYTES_OUT] += bytesOut;
    if (gapMs >= 0) {
      const squared = gapMs * gapMs;
      state[t + GAPS] += 1;
      state[at + GAPS] += 1;
      state[t + GAP_MS] += gapMs;
      state[at + GAP_MS] += gapMs;
      state[t + GAP_MS_SQUARED] += squared;
      state[at + GAP_MS_SQUARED] += squared;
    }
  }

  /** Records a flow to `destination` in the head bucket; `previous` is its last sighting (−∞ if new). */
  sight(source: SourceState, destination: Destination, previous: number): void {
    const state = source.state;
    const b = this.base;
    if (previous >= state[b + HEAD_START]) return;
    if (previous < state[b + WINDOW_START]) {
      state[b + (typeof destination.key === 'string' ? DISTINCT_HOSTS : DISTINCT_PORTS)] += 1;
      destination.windows += 1;
    }
    source.queues[this.window].push(destination);
    state[b + TOTAL + SIGHTINGS] += 1;
    state[state[b + HEAD_AT] + SIGHTINGS] += 1;
  }

  /**
   * The one formula from the integer totals to feature values (FEATURES order), for live and
   * restored state alike: equal totals give bit-equal features. NaN stands for null (no value):
   * no feature can be NaN otherwise, and a Float64Array keeps the values unboxed.
   */
  writeFeatures(source: SourceState, out: Float64Array, at: number): void {
    const state = source.state;
    const t = this.base + TOTAL;
    const count = state[t + COUNT];
    const bytes = state[t + BYTES_IN] + state[t + BYTES_OUT];
    const gaps = state[t + GAPS];
    const gapMs = state[t + GAP_MS];
    out[at] = count;
    out[at + 1] = state[this.base + DISTINCT_HOSTS];
    out[at + 2] = state[this.base + DISTINCT_PORTS];
    out[at + 3] = state[t + FAILED] / count;
    out[at + 4] = bytes === 0 ? NaN : state[t + BYTES_OUT] / bytes;
    out[at + 5] = state[t + SMALL] / count;
    out[at + 6] = gaps === 0 ? NaN : gapMs / gaps / 1000;
    out[at + 7] = gaps < 2 || gapMs === 0 ? NaN : coefficientOfVariation(gaps, gapMs, state[t + GAP_MS_SQUARED]);
  }

  /**
   * Calls `visit` for each non-empty bucket, oldest first, with its age (head − bucket), the offset
   * of its SUMS flow sums in source.state, and its first sightings as queue[from … to).
   */
  forEachBucket(source: SourceState, visit: (age: number, at: number, queue: Destination[], from: number, to: number) => void): void {
    const state = source.state;
    const head = state[this.base + HEAD];
    let next = state[this.base + FRONT];
    for (let age = this.buckets - 1; age >= 0; age--) {
      const at = this.slotAt(head - age);
      if (state[at + COUNT] === 0) continue;
      const to = next + state[at + SIGHTINGS];
      visit(age, at, source.queues[this.window], next, to);
      next = to;
    }
  }

  /**
   * Restore, step 1: sets the head from the source's latest time. Step 2: restoreBucket for each
   * stored bucket, oldest first. Step 3: restoreDestination for each destination.
   */
  restoreHead(source: SourceState): void {
    this.setHead(source.state, Math.floor(source.last / this.bucketMs));
  }

  restoreBucket(source: SourceState, age: number, sums: readonly number[], sightings: readonly Destination[]): void {
    const state = source.state;
    const at = this.slotAt(state[this.base + HEAD] - age);
    const t = this.base + TOTAL;
    for (let k = 0; k < SUMS; k++) {
      state[at + k] = sums[k];
      state[t + k] += sums[k];
    }
    state[at + SIGHTINGS] = sightings.length;
    state[t + SIGHTINGS] += sightings.length;
    const queue = source.queues[this.window];
    for (let i = 0; i < sightings.length; i++) queue.push(sightings[i]);
  }

  /** Counts `destination` in if this window holds it; returns whether it does. */
  restoreDestination(source: SourceState, destination: Destination): boolean {
    const state = source.state;
    if (destination.last < state[this.base + WINDOW_START]) return false;
    state[this.base + (typeof destination.key === 'string' ? DISTINCT_HOSTS : DISTINCT_PORTS)] += 1;
    destination.windows += 1;
    return true;
  }

  private setHead(state: number[], index: number): void {
    const b = this.base;
    state[b + HEAD] = index;
    state[b + HEAD_START] = index * this.bucketMs;
    state[b + NEXT_START] = (index + 1) * this.bucketMs;
    state[b + WINDOW_START] = (index - this.buckets + 1) * this.bucketMs;
    state[b + HEAD_AT] = this.slotAt(index);
  }

  /** Offset in state of the sums of the slot that holds bucket `index`. */
  private slotAt(index: number): number {
    let slot = index % this.buckets;
    if (slot < 0) slot += this.buckets;
    return this.base + TOTAL + STRIDE * (slot + 1);
  }

  private evict(source: SourceState, at: number, index: number): void {
    const state = source.state;
    const b = this.base;
    const t = b + TOTAL;
    const front = state[b + FRONT];
    // The leaving bucket is the oldest non-empty one, so its sightings are the queue's front run.
    const end = front + state[at + SIGHTINGS];
    for (let k = 0; k < STRIDE; k++) {
      state[t + k] -= state[at + k];
      state[at + k] = 0;
    }
    const queue = source.queues[this.window];
    // A destination sighted in bucket `index` leaves with it unless sighted again since.
    const after = (index + 1) * this.bucketMs;
    for (let i = front; i < end; i++) {
      const d = queue[i];
      if (d.last >= after) continue;
      state[b + (typeof d.key === 'string' ? DISTINCT_HOSTS : DISTINCT_PORTS)] -= 1;
      if (--d.windows === 0) source.destinations.delete(d.key);
    }
    // Compact once the dead prefix outweighs the live part, so the queue stays O(live) and pushes O(1).
    if (end > 16 && end * 2 > queue.length) {
      queue.splice(0, end);
      state[b + FRONT] = 0;
    } else {
      state[b + FRONT] = end;
    }
  }
}

/** Lays the windows out one after another in SourceState.state. */
export function windowLayouts(windows: readonly { lengthMs: number; bucketMs: number }[]): WindowLayout[] {
  const layouts: WindowLayout[] = [];
  let base = 0;
  windows.forEach((w, i) => {
    const layout = new WindowLayout(i, w.bucketMs, w.lengthMs / w.bucketMs, base);
    layouts.push(layout);
    base += layout.size;
  });
  return layouts;
}

/** Adds a flow at (clamped) `time` to every window of `source`, once they have been advanced to it. */
export function recordFlow(
  layouts: readonly WindowLayout[],
  source: SourceState,
  time: number,
  host: string,
  port: number,
  failed: number,
  small: number,
  bytesIn: number,
  bytesOut: number,
  gapMs: number,
): void {
  for (let w = 0; w < layouts.length; w++) layouts[w].addFlow(source, failed, small, bytesIn, bytesOut, gapMs);
  sight(layouts, source, host, time);
  sight(layouts, source, port, time);
}

function sight(layouts: readonly WindowLayout[], source: SourceState, key: string | number, time: number): void {
  let d = source.destinations.get(key);
  const previous = d === undefined ? -Infinity : d.last;
  if (d === undefined) source.destinations.set(key, (d = new Destination(key, time)));
  for (let w = 0; w < layouts.length; w++) layouts[w].sight(source, d, previous);
  d.last = time;
}

/**
 * Population std / mean of n gaps from their sum S and sum of squares Q: √(n·Q − S²) / S.
 * n·Q − S² is computed exactly (BigInt only when a product leaves the exact double range), so
 * perfectly regular gaps give exactly 0 rather than rounding noise, and never a negative root.
 */
export function coefficientOfVariation(n: number, sum: number, sumOfSquares: number): number {
  const nq = n * sumOfSquares;
  const ss = sum * sum;
  const spread = nq <= Number.MAX_SAFE_INTEGER && ss <= Number.MAX_SAFE_INTEGER ? nq - ss : Number(BigInt(n) * BigInt(sumOfSquares) - BigInt(sum) * BigInt(sum));
  return Math.sqrt(spread) / sum;
}
