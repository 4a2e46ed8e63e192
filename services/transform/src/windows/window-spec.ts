/** One trailing event-time window: its column suffix, its length and the width of its buckets. */
export interface WindowSpec {
  name: string;
  lengthMs: number;
  bucketMs: number;
}

/**
 * Buckets per window made by windowSpecs. A flow's window starts at a bucket boundary, so it
 * covers between (length − bucket) and length of history: with 6 buckets the edge error is at
 * most 1/6 of the window, for 6 buckets of state per source and window. More buckets buy a
 * sharper edge with proportionally more state and eviction work; fewer make a "1m" window mean
 * anything from 30 s to 60 s.
 */
export const BUCKETS_PER_WINDOW = 6;

/**
 * Longest window accepted. A window's squared inter-arrival gaps (integer ms) add up to at most
 * 2·L² (the gaps inside the window span ≤ L, plus one gap reaching back ≤ L before it), and that
 * sum must stay an exact integer below 2^53 for restored state to equal uninterrupted state:
 * 2·L² ≤ 2^53 ⇒ L ≤ 2^26 ms ≈ 18.6 h. 12 h windows work; 24 h ones would need coarser gaps.
 */
export const MAX_WINDOW_MS = 2 ** 26;

const HOUR = 3_600_000;
const MINUTE = 60_000;
const SECOND = 1_000;

/** Specs for the given lengths, named after their length ('30s', '1m', '10m', '1h') with length/6 buckets. */
export function windowSpecs(lengthsMs: number[]): WindowSpec[] {
  const specs = lengthsMs.map((lengthMs) => {
    if (!Number.isSafeInteger(lengthMs) || lengthMs <= 0 || lengthMs % BUCKETS_PER_WINDOW !== 0) {
      throw new RangeError(`window length ${lengthMs} ms must be a positive whole number of ms divisible by ${BUCKETS_PER_WINDOW}`);
    }
    return { name: windowName(lengthMs), lengthMs, bucketMs: lengthMs / BUCKETS_PER_WINDOW };
  });
  validateWindowSpecs(specs);
  return specs;
}

/** The largest unit that divides the length: 3 600 000 → '1h', 5 400 000 → '90m', 1 500 → '1500ms'. */
export function windowName(lengthMs: number): string {
  for (const [unit, ms] of [['h', HOUR], ['m', MINUTE], ['s', SECOND]] as const) {
    if (lengthMs % ms === 0) return `${lengthMs / ms}${unit}`;
  }
  return `${lengthMs}ms`;
}

/** Throws a RangeError naming the first spec that cannot give exact, restorable windows. */
export function validateWindowSpecs(windows: readonly WindowSpec[]): void {
  if (windows.length === 0) throw new RangeError('at least one window is required');
  const names = new Set<string>();
  for (const w of windows) {
    const label = `window ${JSON.stringify(w.name)}`;
    if (!/^[a-z0-9]+$/.test(w.name)) throw new RangeError(`${label}: name must be lower-case letters and digits (it becomes a column suffix)`);
    if (names.has(w.name)) throw new RangeError(`${label}: duplicate name`);
    names.add(w.name);
    if (!Number.isSafeInteger(w.bucketMs) || w.bucketMs <= 0) throw new RangeError(`${label}: bucketMs must be a positive whole number of ms`);
    if (!Number.isSafeInteger(w.lengthMs) || w.lengthMs <= 0 || w.lengthMs % w.bucketMs !== 0) {
      throw new RangeError(`${label}: lengthMs must be a positive whole multiple of bucketMs`);
    }
    if (w.lengthMs > MAX_WINDOW_MS) throw new RangeError(`${label}: lengthMs above ${MAX_WINDOW_MS} ms would let squared gaps leave exact integer range`);
  }
}

export function sameWindowSpecs(a: readonly WindowSpec[], b: readonly WindowSpec[]): boolean {
  return a.length === b.length && a.every((w, i) => w.name === b[i].name && w.lengthMs === b[i].lengthMs && w.bucketMs === b[i].bucketMs);
}

export function describeWindowSpecs(windows: readonly WindowSpec[]): string {
  return windows.map((w) => `${w.name}=${w.lengthMs}ms/${w.bucketMs}ms`).join(', ');
}
