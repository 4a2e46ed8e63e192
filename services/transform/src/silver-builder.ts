import { RawLandedData, rawLandedKey } from '@flowsentry/contracts';
import { ObjectStore, writeParquet } from '@flowsentry/storage';
import { phaseTimer } from '@flowsentry/telemetry';
import { cleanLines, CleanFlow } from './clean-flows';
import { DedupIndex } from './dedup-index';
import { eventKeyHash } from './event-key-hash';
import { nullRatios, silverStatistics } from './quality-statistics';
import { readRawLines } from './raw-batch-reader';
import { silverTable } from './silver-table';
import { StreamStates } from './stream-states';
import { StreamReads } from './stream-store';
import { BehaviourWindows } from './behaviour-windows';
import { WindowSpec, windowSpecs } from './windows';

export interface SilverSettings {
  TRANSFORM_WINDOWS_MS: number[];
  TRANSFORM_DEDUP_HORIZON_MS: number;
  /** Batches between window checkpoints; a restart replays at most this many from RAW. */
  TRANSFORM_CHECKPOINT_EVERY: number;
}

/** What building reads: RAW objects, and the stream state the database holds. */
export interface SilverInputs {
  objects: Pick<ObjectStore, 'get'>;
  streams: StreamReads;
}

/**
 * One `raw.landed` turned into SILVER bytes, and everything the step must record about it. Plain
 * data (buffers, typed arrays, numbers), so it crosses from a worker thread as it is.
 */
export interface SilverBatch {
  parquet: Buffer;
  statistics: Buffer;
  rows: number;
  inputRows: number;
  duplicates: number;
  /** Lines that could not become rows, by reason. */
  dropped: Record<string, number>;
  /** Share of missing values per column. */
  nulls: Record<string, number>;
  minTs: number | null;
  maxTs: number | null;
  /** Key hashes of the rows written, in row order: the de-duplication index of later batches. */
  keys: Float64Array;
  /** The window state after this batch, when this batch is due for a checkpoint. */
  checkpoint?: Buffer;
  /** Event time before which the stream's recorded batches can no longer make anything a duplicate. */
  forgetBefore: number;
  /** Sources and pairs holding window state after the batch. */
  trackedSources: number;
  /** Seconds spent per phase, in order, for the phase histogram of whichever thread reports. */
  phases: Array<[phase: string, seconds: number]>;
}

/** Builds SILVER batches; the service runs one in-process or one per worker thread (SilverWorkers). */
export interface SilverBuild {
  /**
   * The batch after the stream's state as recorded, handled under consumer group assignment
   * `assignment` (StepContext.assignment); with `follows`, a read-ahead: after the state in memory
   * that follows the batch ending at that offset, built but maybe not yet committed (fails if
   * memory holds no such state).
   */
  build(raw: RawLandedData, heartbeat: () => Promise<void>, assignment: number, follows?: string): Promise<SilverBatch>;
}

/**
 * RAW → SILVER bytes for one `raw.landed`: read and verify the RAW object, clean, de-duplicate,
 * add the per-flow and per-source window features, encode the Parquet object and its
 * statistics.json. Everything it produces is a function of the event and of the stream's state
 * before this batch (window checkpoint and de-duplication index, both found by offset), so
 * building again after a crash gives the same bytes. It writes nothing: the handler stores the
 * objects and records the batch.
 */
export class SilverBuilder implements SilverBuild {
  private readonly windows: WindowSpec[];
  private readonly windowColumns: string[];
  private readonly streams: StreamStates;

  constructor(
    private readonly inputs: SilverInputs,
    private readonly settings: SilverSettings,
  ) {
    this.windows = windowSpecs(settings.TRANSFORM_WINDOWS_MS);
    this.windowColumns = BehaviourWindows.columns(this.windows);
    this.streams = new StreamStates(inputs.streams, inputs.objects, this.windows, eventKeyHash);
  }

  async build(raw: RawLandedData, heartbeat: () => Promise<void>, assignment: number, follows?: string): Promise<SilverBatch> {
    const phases: SilverBatch['phases'] = [];
    const phase = phaseTimer({ observe: ({ phase: name }, seconds) => void phases.push([name, seconds]) });
    const stream = rawLandedKey(raw.source.topic, raw.source.partition);

    const lines = await readRawLines(this.inputs.objects, raw);
    phase('read');
    const cleaned = cleanLines(lines);
    const hashes = cleaned.flows.map((flow) => eventKeyHash(flow.eventKey));
    phase('clean');
    const since = minTime(cleaned.flows) - this.settings.TRANSFORM_DEDUP_HORIZON_MS;
    // Keys two horizons old can no longer make anything a duplicate.
    const forgetBefore = since - this.settings.TRANSFORM_DEDUP_HORIZON_MS;
    const { state, rebuilt } = follows === undefined ? await this.streams.before(stream, raw.source.firstOffset, since, assignment, heartbeat) : { state: this.streams.following(stream, follows, since), rebuilt: false };
    if (rebuilt) phase('rebuild');
    const { unique, keys } = deduplicate(cleaned.flows, hashes, state.dedup, since);
    phase('dedup');

    const width = this.windowColumns.length;
    const features = new Float64Array(unique.length * width);
    for (let i = 0; i < unique.length; i++) state.windows.observeInto(unique[i]!.event, unique[i]!.tsMs, features, i * width);
    const minTs = unique.length > 0 ? minTime(unique) : null;
    const maxTs = unique.length > 0 ? maxTime(unique) : null;
    state.dedup.add(keys, maxTs ?? 0);
    state.dedup.evictBefore(forgetBefore);
    state.position = raw.source.lastOffset;
    const checkpoint = ++state.sinceCheckpoint >= this.settings.TRANSFORM_CHECKPOINT_EVERY ? state.windows.snapshot() : undefined;
    if (checkpoint) state.sinceCheckpoint = 0;
    this.streams.keep(stream, state, assignment);
    phase('windows');

    const table = silverTable(unique, features, this.windowColumns, raw.source);
    // DuckDB encodes the Parquet file on its own thread: the statistics are computed on this one meanwhile.
    const parquetWritten = writeParquet(table);
    const quality = { inputRows: lines.length, duplicates: cleaned.flows.length - unique.length, dropped: cleaned.dropped };
    const statistics = Buffer.from(JSON.stringify(silverStatistics(table, quality)));
    const nulls = nullRatios(table);
    phase('statistics');
    const parquet = await parquetWritten;
    phase('parquet');

    return { parquet, statistics, rows: table.rowCount, ...quality, nulls, minTs, maxTs, keys, checkpoint, forgetBefore, trackedSources: state.windows.size, phases };
  }
}

/** Drops repeats within the batch (the first stays), then keys an earlier batch of the stream holds within the horizon. */
function deduplicate(flows: readonly CleanFlow[], hashes: readonly number[], earlier: DedupIndex, since: number): { unique: CleanFlow[]; keys: Float64Array } {
  const unique: CleanFlow[] = [];
  const keys: number[] = [];
  const inBatch = new Set<number>();
  for (let i = 0; i < flows.length; i++) {
    const hash = hashes[i]!;
    if (inBatch.has(hash)) continue;
    inBatch.add(hash);
    if (earlier.has(hash, since)) continue;
    unique.push(flows[i]!);
    keys.push(hash);
  }
  return { unique, keys: Float64Array.from(keys) };
}

function minTime(flows: readonly CleanFlow[]): number {
  let min = Infinity;
  for (const f of flows) if (f.tsMs < min) min = f.tsMs;
  return Number.isFinite(min) ? min : 0;
}

function maxTime(flows: readonly CleanFlow[]): number {
  let max = -Infinity;
  for (const f of flows) if (f.tsMs > max) max = f.tsMs;
  return max;
}
