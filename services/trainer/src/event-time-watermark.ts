import { StreamEnd } from './dataset-catalog';

/** The event time up to which every dataset has arrived, and what holds it there. */
export interface Watermark {
  /** Epoch ms: every dataset of every counted stream that ends at or before it is on record. */
  at: number;
  /** The stream furthest behind: the one decisions are waiting for. */
  heldBy: string;
  /** Streams left out because their data stopped more than the idle span behind the newest stream's. */
  idle: string[];
}

/**
 * Where the catalog is complete in event time, whatever order the streams' datasets arrived in:
 * one stream's datasets reach the trainer in event-time order (silver.ready is keyed by source
 * stream), so once a stream has a dataset ending at E it has delivered all of its datasets ending
 * before E, and the least such E over the streams bounds what is complete. A decision taken at an
 * event time at or below it sees the same datasets in every run.
 *
 * `expected` names the streams there are (the source topic's partitions), so that a stream whose
 * first dataset is late is waited for rather than overlooked: one with nothing on record counts as
 * having reached just before the earliest data on record.
 *
 * A stream that stopped (a sensor retired, a partition no producer key hashes to) would hold the
 * watermark for ever; one more than `idleMs` of event time behind the newest stream is left out
 * (0: never). That stays deterministic only while live streams lag each other by less than
 * `idleMs`, hence a span far above any processing lag.
 */
export function watermarkOf(onRecord: readonly StreamEnd[], expected: readonly string[], idleMs: number): Watermark | undefined {
  if (onRecord.length === 0) return undefined;
  const before = Math.min(...onRecord.map((e) => e.start)) - 1;
  const ends = [...onRecord.map((e) => ({ stream: e.stream, end: e.end }))];
  for (const stream of expected) if (!onRecord.some((e) => e.stream === stream)) ends.push({ stream, end: before });
  const newest = Math.max(...ends.map((e) => e.end));
  const live = idleMs > 0 ? ends.filter((e) => e.end >= newest - idleMs) : ends;
  const lowest = live.reduce((low, e) => (e.end < low.end || (e.end === low.end && e.stream < low.stream) ? e : low));
  return { at: lowest.end, heldBy: lowest.stream, idle: ends.filter((e) => !live.includes(e)).map((e) => e.stream).sort() };
}

/** The streams on record with one more dataset counted: the one in hand, not on record until its step commits. */
export function withDataset(onRecord: readonly StreamEnd[], dataset: StreamEnd): StreamEnd[] {
  const known = onRecord.find((e) => e.stream === dataset.stream);
  if (!known) return [...onRecord, dataset];
  return onRecord.map((e) => (e === known ? { stream: e.stream, start: Math.min(e.start, dataset.start), end: Math.max(e.end, dataset.end) } : e));
}
