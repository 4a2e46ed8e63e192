import { decodeWindowSnapshot, encodeWindowSnapshot } from './window-snapshot';
import { FEATURES, recordFlow, SourceState, type WindowLayout, windowLayouts } from './source-state';
import { validateWindowSpecs, type WindowSpec } from './window-spec';

/** Bump when any column's meaning changes; a snapshot made under another version is refused. */
export const WINDOW_FEATURES_VERSION = 'w1';

/** What the windows need from one flow (see flowObservation for the NetworkEvent mapping). */
export interface FlowObservation {
  srcIp: string;
  /** Event time, integer epoch milliseconds. */
  tsMs: number;
  dstIp: string;
  dstPort: number;
  failed: boolean;
  bytesIn: number;
  bytesOut: number;
  small: boolean;
}

export interface WindowFeatures {
  [column: string]: number | null;
}

/**
 * Column names, window by window in spec order and in FEATURES order within a window, so adding a
 * window appends its columns and leaves every existing column where it was.
 */
export function windowFeatureColumns(windows: readonly WindowSpec[]): string[] {
  return windows.flatMap((w) => FEATURES.map((feature) => `${feature}_${w.name}`));
}

/**
 * Per-source aggregates over trailing event-time windows for one stream (one source partition),
 * fed in offset order. Semantics and the reasons for them: docs/WINDOW-FEATURES.md.
 *
 * Determinism is the contract: the features depend only on the sequence of observations, never on
 * when the state was snapshotted and restored, nor on when idle sources were evicted.
 */
export class SourceWindows {
  private readonly windows: readonly WindowSpec[];
  private readonly layouts: WindowLayout[];
  private readonly row: (values: Float64Array) => WindowFeatures;
  /** Scratch for one flow's values, in column order, NaN for null. */
  private readonly values: Float64Array;
  /** The longest window: how far back a gap may reach and how late a flow may be counted. */
  private readonly horizonMs: number;
  /** Idle sources are looked for once per bucket of the longest window. */
  private readonly sweepMs: number;
  private readonly bySource = new Map<string, SourceState>();
  /** Largest event time observed in the stream. */
  private watermark = -Infinity;
  /** floor(watermark / sweepMs) when idle sources were last evicted; derived from the watermark. */
  private sweptEpoch = -Infinity;

  constructor(windows: WindowSpec[]) {
    validateWindowSpecs(windows);
    this.windows = windows.map((w) => ({ name: w.name, lengthMs: w.lengthMs, bucketMs: w.bucketMs }));
    this.layouts = windowLayouts(this.windows);
    const columns = windowFeatureColumns(this.windows);
    this.row = rowFactory(columns);
    this.values = new Float64Array(columns.length);
    const longest = this.windows.reduce((a, b) => (b.lengthMs > a.lengthMs ? b : a));
    this.horizonMs = longest.lengthMs;
    this.sweepMs = longest.bucketMs;
  }

  /** Refuses (WindowSnapshotError) bytes made under other window specs or another feature version. */
  static restore(windows: WindowSpec[], bytes: Buffer): SourceWindows {
    const restored = new SourceWindows(windows);
    const { watermark, sources } = decodeWindowSnapshot(restored.windows, restored.layouts, WINDOW_FEATURES_VERSION, bytes);
    restored.watermark = watermark;
    restored.sweptEpoch = Math.floor(watermark / restored.sweepMs);
    for (const [srcIp, state] of sources) restored.bySource.set(srcIp, state);
    return restored;
  }

  /** Same state, same bytes: sources and keys are written sorted. Does not change the state. */
  snapshot(): Buffer {
    return encodeWindowSnapshot(this.windows, this.layouts, WINDOW_FEATURES_VERSION, this.watermark, this.bySource);
  }

  /** Sources currently holding state. */
  get sources(): number {
    return this.bySource.size;
  }

  /** Adds the flow to its source's windows and returns that source's aggregates including it. */
  observe(flow: FlowObservation): WindowFeatures {
    this.observeInto(flow, this.values, 0);
    return this.row(this.values);
  }

  /**
   * observe, writing the aggregates into `out` from `at` on, in column order with NaN for null:
   * what a columnar caller takes, without an object per flow.
   */
  observeInto(flow: FlowObservation, out: Float64Array, at: number): void {
    const ts = flow.tsMs;
    const bytesIn = Math.round(flow.bytesIn);
    const bytesOut = Math.round(flow.bytesOut);
    if (!Number.isSafeInteger(ts)) throw new RangeError(`tsMs must be integer epoch milliseconds, got ${ts}`);
    if (!(bytesIn >= 0 && bytesOut >= 0)) throw new RangeError(`byte counts must be non-negative, got in=${flow.bytesIn} out=${flow.bytesOut}`);

    if (ts > this.watermark) {
      this.watermark = ts;
      const epoch = Math.floor(ts / this.sweepMs);
      if (epoch > this.sweptEpoch) {
        this.sweptEpoch = epoch;
        this.evictIdleSources();
      }
    }

    // A flow more than one horizon behind the stream counts as exactly that late (what keeps
    // eviction invisible); a flow older than its source's latest counts at that latest time.
    let time = Math.max(ts, this.watermark - this.horizonMs);
    let gapMs = -1;
    let source = this.bySource.get(flow.srcIp);
    if (source === undefined) {
      source = new SourceState(time, this.layouts);
      this.bySource.set(flow.srcIp, source);
    } else {
      if (time < source.last) time = source.last;
      if (time - source.last <= this.horizonMs) gapMs = time - source.last;
      source.last = time;
    }

    const failed = flow.failed ? 1 : 0;
    const small = flow.small ? 1 : 0;
    const layouts = this.layouts;
    for (let w = 0; w < layouts.length; w++) layouts[w].advance(source, time);
    recordFlow(layouts, source, time, flow.dstIp, flow.dstPort, failed, small, bytesIn, bytesOut, gapMs);
    for (let w = 0; w < layouts.length; w++) layouts[w].writeFeatures(source, out, at + w * FEATURES.length);
  }

  /**
   * Drops sources whose latest flow is more than two horizons behind the watermark. Any later
   * flow of theirs is clamped to at least watermark − horizon, so it lands more than a horizon
   * after their latest flow: no gap, every old bucket outside every window. It would find an
   * empty history anyway, which is why eviction cannot change a feature.
   */
  private evictIdleSources(): void {
    const cutoff = this.watermark - 2 * this.horizonMs;
    for (const [srcIp, source] of this.bySource) {
      if (source.last < cutoff) this.bySource.delete(srcIp);
    }
  }
}

/**
 * A function building one result object from the values in column order (NaN → null), compiled
 * once per column set. Writing 16 computed keys into an object costs ~0.5 µs per flow (every store
 * site sees several keys, so V8 falls back to its slowest property stores); an object literal with
 * the keys spelled out costs ~0.1 µs and gives every row the same shape. Column names are only
 * FEATURES and validated window names (lower-case letters and digits), JSON-quoted all the same.
 */
export function rowFactory(columns: readonly string[]): (values: Float64Array) => WindowFeatures {
  if (!columns.every((c) => /^[a-z0-9_]+$/.test(c))) throw new Error(`unexpected column name in ${columns.join(', ')}`);
  const fields = columns.map((c, i) => `${JSON.stringify(c)}: v[${i}] === v[${i}] ? v[${i}] : null`).join(', ');
  return new Function('v', `return { ${fields} };`) as (values: Float64Array) => WindowFeatures;
}
