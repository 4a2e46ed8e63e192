import { eventTimeMs, NetworkEvent } from '@flowsentry/contracts';
import { FlowObservation, flowObservation, rowFactory, SourceWindows, WindowFeatures, windowFeatureColumns, WindowSpec } from './windows';

/** The per-pair columns, per window: how often a source talks to one host, and how regularly. */
const PAIR_FEATURES = [
  ['src_conn_count', 'pair_conn_count'],
  ['src_iat_mean_s', 'pair_iat_mean_s'],
  ['src_iat_cv', 'pair_iat_cv'],
] as const;

/**
 * The behaviour features of a stream: per source (SourceWindows) and per source→destination
 * host pair. A beaconing implant hides its timer among its host's ordinary traffic, so the
 * source's inter-arrival times look irregular; the pair's (the check-ins to the C2 host alone)
 * are as regular as the timer (RITA and Zeek's beacon analyses work per pair for that reason).
 * The pair windows are SourceWindows keyed by the pair, fed only what counts and gaps need: the
 * same bucketing, late-flow and eviction rules, and the same bit-exact restore.
 */
export class BehaviourWindows {
  /** Values per flow that observeInto writes: one per column of BehaviourWindows.columns. */
  readonly width: number;
  private readonly sourceWidth: number;
  /** For each pair column, where the pair windows' observeInto puts its value. */
  private readonly pairPicks: Int32Array;
  private readonly pairValues: Float64Array;
  private readonly row: (values: Float64Array) => WindowFeatures;
  // Overwritten for every flow: the windows keep strings and numbers from them, never the objects.
  private readonly flow: FlowObservation = { srcIp: '', tsMs: 0, dstIp: '', dstPort: 0, failed: false, bytesIn: 0, bytesOut: 0, small: false };
  private readonly pair: FlowObservation = { srcIp: '', tsMs: 0, dstIp: '', dstPort: 0, failed: false, bytesIn: 0, bytesOut: 0, small: false };

  private constructor(
    private readonly sources: SourceWindows,
    private readonly pairs: SourceWindows,
    windows: readonly WindowSpec[],
  ) {
    const sourceColumns = windowFeatureColumns(windows);
    this.sourceWidth = sourceColumns.length;
    this.pairValues = new Float64Array(sourceColumns.length);
    this.pairPicks = Int32Array.from(windows.flatMap((w) => PAIR_FEATURES.map(([from]) => sourceColumns.indexOf(`${from}_${w.name}`))));
    this.width = this.sourceWidth + this.pairPicks.length;
    this.row = rowFactory(BehaviourWindows.columns(windows));
  }

  static create(windows: WindowSpec[]): BehaviourWindows {
    return new BehaviourWindows(new SourceWindows(windows), new SourceWindows(windows), windows);
  }

  /** Refuses bytes made under other windows or another feature version (as SourceWindows.restore does). */
  static restore(windows: WindowSpec[], bytes: Buffer): BehaviourWindows {
    const sourceLength = bytes.readUInt32BE(0);
    const sources = SourceWindows.restore(windows, bytes.subarray(4, 4 + sourceLength));
    const pairs = SourceWindows.restore(windows, bytes.subarray(4 + sourceLength));
    return new BehaviourWindows(sources, pairs, windows);
  }

  static columns(windows: readonly WindowSpec[]): string[] {
    return [...windowFeatureColumns([...windows]), ...windows.flatMap((w) => PAIR_FEATURES.map(([, to]) => `${to}_${w.name}`))];
  }

  /** The flow's features as one object (null for no value); `tsMs` is its event time if already read. */
  observe(event: NetworkEvent, tsMs?: number): WindowFeatures {
    const values = new Float64Array(this.width);
    this.observeInto(event, tsMs ?? eventTimeMs(event), values, 0);
    return this.row(values);
  }

  /**
   * Adds the flow and writes its features into `out` from `at` on, in `columns` order, NaN for no
   * value: a batch's features fill one row-major matrix, with no object per flow.
   */
  observeInto(event: NetworkEvent, tsMs: number, out: Float64Array, at: number): void {
    const flow = flowObservation(event, tsMs, this.flow);
    this.sources.observeInto(flow, out, at);
    const pair = this.pair;
    pair.srcIp = `${flow.srcIp}>${flow.dstIp}`;
    pair.tsMs = tsMs;
    pair.dstIp = flow.dstIp;
    this.pairs.observeInto(pair, this.pairValues, 0);
    const picks = this.pairPicks;
    const to = at + this.sourceWidth;
    for (let j = 0; j < picks.length; j++) out[to + j] = this.pairValues[picks[j]!]!;
  }

  snapshot(): Buffer {
    const sources = this.sources.snapshot();
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sources.length);
    return Buffer.concat([length, sources, this.pairs.snapshot()]);
  }

  /** Sources and pairs holding state (for the state-size metric). */
  get size(): number {
    return this.sources.sources + this.pairs.sources;
  }
}
