import { NetworkEvent } from '@flowsentry/contracts';
import { flowObservation, SourceWindows, WindowFeatures, windowFeatureColumns, WindowSpec } from './windows';

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
  private readonly merge: (source: WindowFeatures, pair: WindowFeatures) => WindowFeatures;

  private constructor(
    private readonly sources: SourceWindows,
    private readonly pairs: SourceWindows,
    windows: readonly WindowSpec[],
  ) {
    this.merge = mergeFactory(windowFeatureColumns([...windows]), windows.flatMap((w) => PAIR_FEATURES.map(([from, to]): [string, string] => [`${from}_${w.name}`, `${to}_${w.name}`])));
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

  observe(event: NetworkEvent): WindowFeatures {
    const flow = flowObservation(event);
    const source = this.sources.observe(flow);
    const pair = this.pairs.observe({ srcIp: `${flow.srcIp}>${flow.dstIp}`, tsMs: flow.tsMs, dstIp: flow.dstIp, dstPort: 0, failed: false, bytesIn: 0, bytesOut: 0, small: false });
    return this.merge(source, pair);
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

/**
 * One object literal per row with every column spelled out, compiled once per column set: adding
 * keys to an existing row object one by one turns it into a slow dictionary object (what the
 * source windows avoid the same way). Names are validated column names (lower-case, digits, _).
 */
function mergeFactory(sourceColumns: string[], pairColumns: Array<[from: string, to: string]>): (source: WindowFeatures, pair: WindowFeatures) => WindowFeatures {
  const names = [...sourceColumns, ...pairColumns.flat()];
  if (!names.every((c) => /^[a-z0-9_]+$/.test(c))) throw new Error(`unexpected column name in ${names.join(', ')}`);
  const fields = [...sourceColumns.map((c) => `${JSON.stringify(c)}: s[${JSON.stringify(c)}]`), ...pairColumns.map(([from, to]) => `${JSON.stringify(to)}: p[${JSON.stringify(from)}]`)];
  return new Function('s', 'p', `return { ${fields.join(', ')} };`) as (source: WindowFeatures, pair: WindowFeatures) => WindowFeatures;
}
