import { deterministicId, PipelineEventOf, rawLandedKey, Topics } from '@flowsentry/contracts';
import { PipelineStep, StepContext, StepOutcome } from '@flowsentry/runtime';
import { formatRef, ObjectRef, ObjectStore, silverRef, writeParquet } from '@flowsentry/storage';
import { ATTR_DATASET_ID, phaseTimer } from '@flowsentry/telemetry';
import { cleanLines, CleanFlow } from './clean-flows';
import { eventKeyHash } from './event-key-hash';
import { featureVersion } from './feature-version';
import { nullRatios, silverStatistics } from './quality-statistics';
import { readRawLines } from './raw-batch-reader';
import { silverTable } from './silver-table';
import { StreamStates } from './stream-states';
import { StreamStore } from './stream-store';
import { transformMetrics } from './transform.metrics';
import { DedupIndex } from './dedup-index';
import { BehaviourWindows } from './behaviour-windows';
import { WindowSpec, windowSpecs } from './windows';

type RawLanded = PipelineEventOf<typeof Topics.rawLanded>;

export interface TransformStores {
  objects: Pick<ObjectStore, 'get' | 'put'>;
  streams: StreamStore;
}

export interface TransformSettings {
  TRANSFORM_WINDOWS_MS: number[];
  TRANSFORM_DEDUP_HORIZON_MS: number;
  /** Batches between window checkpoints; a restart replays at most this many from RAW. */
  TRANSFORM_CHECKPOINT_EVERY: number;
}

/**
 * RAW → SILVER for one `raw.landed`: read and verify the RAW object, clean, de-duplicate, add the
 * per-flow and per-source window features, write the Parquet object and its statistics.json.
 * Everything it writes is a function of the event and of the stream's state before this batch
 * (window checkpoint and de-duplication index, both found by offset), so running it again after
 * a crash writes the same bytes under the same keys.
 */
export class TransformHandler implements PipelineStep<typeof Topics.rawLanded> {
  readonly input = Topics.rawLanded;
  readonly step = 'transformation' as const;
  private readonly windows: WindowSpec[];
  private readonly windowColumns: string[];
  readonly featureVersion: string;
  private readonly streams: StreamStates;

  constructor(
    private readonly stores: TransformStores,
    private readonly settings: TransformSettings,
  ) {
    this.windows = windowSpecs(settings.TRANSFORM_WINDOWS_MS);
    this.windowColumns = BehaviourWindows.columns(this.windows);
    this.featureVersion = featureVersion(this.windows);
    this.streams = new StreamStates(stores.streams, stores.objects, this.windows, eventKeyHash);
  }

  async handle(event: RawLanded, context: StepContext): Promise<StepOutcome> {
    const raw = event.data;
    const phase = phaseTimer(transformMetrics.phase);
    const stream = rawLandedKey(raw.source.topic, raw.source.partition);
    const datasetId = `${raw.datasetId}.${this.featureVersion}`;
    context.annotate({ [ATTR_DATASET_ID]: datasetId, 'flowsentry.raw_dataset_id': raw.datasetId });

    const lines = await readRawLines(this.stores.objects, raw);
    phase('read');
    const cleaned = cleanLines(lines);
    const hashes = cleaned.flows.map((flow) => eventKeyHash(flow.eventKey));
    phase('clean');
    const since = minTime(cleaned.flows) - this.settings.TRANSFORM_DEDUP_HORIZON_MS;
    const { state, rebuilt } = await this.streams.before(stream, raw.source.firstOffset, since, context.heartbeat);
    if (rebuilt) phase('rebuild');
    const { unique, keys } = deduplicate(cleaned.flows, hashes, state.dedup, since);
    const duplicates = cleaned.flows.length - unique.length;
    phase('dedup');

    const width = this.windowColumns.length;
    const features = new Float64Array(unique.length * width);
    for (let i = 0; i < unique.length; i++) state.windows.observeInto(unique[i]!.event, unique[i]!.tsMs, features, i * width);
    const minTs = unique.length > 0 ? minTime(unique) : null;
    const maxTs = unique.length > 0 ? maxTime(unique) : null;
    state.dedup.add(keys, maxTs ?? 0);
    state.dedup.evictBefore(since - this.settings.TRANSFORM_DEDUP_HORIZON_MS);
    state.position = raw.source.lastOffset;
    const checkpoint = ++state.sinceCheckpoint >= this.settings.TRANSFORM_CHECKPOINT_EVERY ? state.windows.snapshot() : undefined;
    if (checkpoint) state.sinceCheckpoint = 0;
    this.streams.keep(stream, state);
    phase('windows');

    const table = silverTable(unique, features, this.windowColumns, raw.source);
    // DuckDB encodes the Parquet file on its own thread: the statistics are computed on this one meanwhile.
    const parquetWritten = writeParquet(table);
    const quality = { inputRows: lines.length, duplicates, dropped: cleaned.dropped };
    const statistics = Buffer.from(JSON.stringify(silverStatistics(table, quality)));
    const nulls = nullRatios(table);
    phase('statistics');
    const parquet = await parquetWritten;
    phase('parquet');

    const parquetRef = silverRef(datasetId, dayOf(raw.objectKey, raw.minEventTime));
    const statisticsRef: ObjectRef = { layer: 'silver', key: parquetRef.key.replace(/\.parquet$/, '.statistics.json') };
    const [storedParquet, storedStatistics] = await Promise.all([
      this.stores.objects.put(parquetRef, parquet, 'application/vnd.apache.parquet'),
      this.stores.objects.put(statisticsRef, statistics, 'application/json'),
    ]);
    phase('write');

    this.report(table.rowCount, quality, nulls, state.windows.size);
    const rawRef = raw.objectKey;
    return {
      outputs: [
        {
          topic: Topics.silverReady,
          id: deterministicId('silver.ready', event.id, this.featureVersion),
          // Keyed like raw.landed, by source stream: the trainer's watermark relies on one stream's datasets arriving in order.
          key: stream,
          subject: datasetId,
          data: {
            datasetId,
            silverKey: formatRef(parquetRef),
            sha256: storedParquet.sha256,
            rawKeys: [{ key: rawRef, sha256: raw.sha256 }],
            rows: table.rowCount,
            featuresSchemaVersion: this.featureVersion,
            quality: { inputRows: lines.length, duplicates, dropped: sum(cleaned.dropped), nullRatio: nonZero(nulls) },
            qualityKey: formatRef(statisticsRef),
            ...(minTs !== null && maxTs !== null ? { minEventTime: new Date(minTs).toISOString(), maxEventTime: new Date(maxTs).toISOString() } : {}),
          },
        },
      ],
      artifacts: [
        { ref: formatRef(parquetRef), layer: 'silver', sha256: storedParquet.sha256, sizeBytes: storedParquet.size, contentType: 'application/vnd.apache.parquet' },
        { ref: formatRef(statisticsRef), layer: 'silver', sha256: storedStatistics.sha256, sizeBytes: storedStatistics.size, contentType: 'application/json' },
      ],
      lineage: [
        { parentRef: rawRef, childRef: formatRef(parquetRef), relation: 'transformed' },
        { parentRef: formatRef(parquetRef), childRef: formatRef(statisticsRef), relation: 'profiled' },
      ],
      record: {
        inputRef: rawRef,
        details: { datasetId, featureVersion: this.featureVersion, inputRows: lines.length, rows: table.rowCount, duplicates, dropped: cleaned.dropped, stream },
      },
      persist: async (em) => {
        const { streams } = this.stores;
        await streams.saveBatch(em, stream, { firstOffset: raw.source.firstOffset, lastOffset: raw.source.lastOffset, rawRef, rawSha256: raw.sha256, minTs, maxTs, keys });
        if (!checkpoint) return;
        await streams.saveCheckpoint(em, stream, raw.source.lastOffset, checkpoint);
        // Keys two horizons old can no longer make anything a duplicate, and the checkpoint replaces the batches before it.
        await streams.prune(em, stream, since - this.settings.TRANSFORM_DEDUP_HORIZON_MS, raw.source.lastOffset);
      },
    };
  }

  private report(rows: number, quality: { inputRows: number; duplicates: number; dropped: Record<string, number> }, nulls: Record<string, number>, sources: number): void {
    transformMetrics.rowsIn.inc(quality.inputRows);
    transformMetrics.rowsOut.inc(rows);
    transformMetrics.duplicates.inc(quality.duplicates);
    for (const [reason, n] of Object.entries(quality.dropped)) transformMetrics.dropped.inc({ reason }, n);
    for (const [column, ratio] of Object.entries(nulls)) transformMetrics.nullRatio.set({ column }, ratio);
    transformMetrics.trackedSources.set(sources);
  }
}

/** The SILVER object lives under the RAW object's day, so both layers partition alike and the key follows from the input. */
function dayOf(rawKey: string, minEventTime: string | undefined): string {
  const match = /date=(\d{4}-\d{2}-\d{2})\//.exec(rawKey);
  return match?.[1] ?? (minEventTime ?? '1970-01-01').slice(0, 10);
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

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function nonZero(ratios: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(ratios).filter(([, r]) => r > 0));
}
