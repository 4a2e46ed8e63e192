import { deterministicId, PipelineEventOf, rawLandedKey, Topics } from '@flowsentry/contracts';
import { PipelineStep, StepContext, StepOutcome } from '@flowsentry/runtime';
import { formatRef, ObjectRef, ObjectStore, silverRef } from '@flowsentry/storage';
import { ATTR_DATASET_ID, phaseTimer } from '@flowsentry/telemetry';
import { featureVersion } from './feature-version';
import { SilverBatch, SilverBuild, SilverBuilder, SilverSettings } from './silver-builder';
import { SilverReadAhead } from './silver-read-ahead';
import { StreamStore } from './stream-store';
import { transformMetrics } from './transform.metrics';
import { windowSpecs } from './windows';

type RawLanded = PipelineEventOf<typeof Topics.rawLanded>;

export interface TransformStores {
  objects: Pick<ObjectStore, 'get' | 'put'>;
  streams: StreamStore;
  /** Builds the SILVER bytes on worker threads (SilverWorkers); without it, a SilverBuilder in this thread. */
  silver?: SilverBuild;
}

export interface TransformSettings extends SilverSettings {
  /** Build a partition's next batch while this one is stored and recorded (SilverReadAhead). */
  TRANSFORM_READ_AHEAD: boolean;
}

/**
 * RAW → SILVER for one `raw.landed`: has the batch built (read, verify, clean, de-duplicate,
 * features, Parquet and statistics.json), stores both objects and returns what the step runtime
 * records and emits. The stream's bookkeeping (batch keys, window checkpoint) commits in the
 * runtime's transaction, so a crash anywhere builds the same bytes under the same keys again.
 */
export class TransformHandler implements PipelineStep<typeof Topics.rawLanded> {
  readonly input = Topics.rawLanded;
  readonly step = 'transformation' as const;
  readonly featureVersion: string;
  private readonly silver: SilverReadAhead;
  private readonly readAhead: boolean;

  constructor(
    private readonly stores: TransformStores,
    settings: TransformSettings,
  ) {
    this.featureVersion = featureVersion(windowSpecs(settings.TRANSFORM_WINDOWS_MS));
    this.silver = new SilverReadAhead(stores.silver ?? new SilverBuilder(stores, settings), stores.streams, (outcome) => transformMetrics.readAhead.inc({ outcome }));
    this.readAhead = settings.TRANSFORM_READ_AHEAD;
  }

  async handle(event: RawLanded, context: StepContext<typeof Topics.rawLanded>): Promise<StepOutcome> {
    const raw = event.data;
    const stream = rawLandedKey(raw.source.topic, raw.source.partition);
    const datasetId = `${raw.datasetId}.${this.featureVersion}`;
    context.annotate({ [ATTR_DATASET_ID]: datasetId, 'flowsentry.raw_dataset_id': raw.datasetId });

    const heartbeat = () => context.heartbeat();
    const batch = await this.silver.batchFor(event.id, raw, context.assignment, heartbeat);
    const upcoming = this.readAhead ? context.upcoming() : undefined;
    if (upcoming) this.silver.readAhead(raw, upcoming, context.assignment, heartbeat);
    for (const [name, seconds] of batch.phases) transformMetrics.phase.observe({ phase: name }, seconds);
    const phase = phaseTimer(transformMetrics.phase);

    const parquetRef = silverRef(datasetId, dayOf(raw.objectKey, raw.minEventTime));
    const statisticsRef: ObjectRef = { layer: 'silver', key: parquetRef.key.replace(/\.parquet$/, '.statistics.json') };
    const [storedParquet, storedStatistics] = await Promise.all([
      this.stores.objects.put(parquetRef, batch.parquet, 'application/vnd.apache.parquet'),
      this.stores.objects.put(statisticsRef, batch.statistics, 'application/json'),
    ]);
    phase('write');

    report(batch);
    const { minTs, maxTs, checkpoint } = batch;
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
            rows: batch.rows,
            featuresSchemaVersion: this.featureVersion,
            quality: { inputRows: batch.inputRows, duplicates: batch.duplicates, dropped: sum(batch.dropped), nullRatio: nonZero(batch.nulls) },
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
        details: { datasetId, featureVersion: this.featureVersion, inputRows: batch.inputRows, rows: batch.rows, duplicates: batch.duplicates, dropped: batch.dropped, stream },
      },
      persist: async (em) => {
        const { streams } = this.stores;
        await streams.saveBatch(em, stream, { firstOffset: raw.source.firstOffset, lastOffset: raw.source.lastOffset, rawRef, rawSha256: raw.sha256, minTs, maxTs, keys: batch.keys });
        if (!checkpoint) return;
        await streams.saveCheckpoint(em, stream, raw.source.lastOffset, checkpoint);
        // Keys two horizons old can no longer make anything a duplicate, and the checkpoint replaces the batches before it.
        await streams.prune(em, stream, batch.forgetBefore, raw.source.lastOffset);
      },
    };
  }
}

/** The SILVER object lives under the RAW object's day, so both layers partition alike and the key follows from the input. */
function dayOf(rawKey: string, minEventTime: string | undefined): string {
  const match = /date=(\d{4}-\d{2}-\d{2})\//.exec(rawKey);
  return match?.[1] ?? (minEventTime ?? '1970-01-01').slice(0, 10);
}

function report(batch: SilverBatch): void {
  transformMetrics.rowsIn.inc(batch.inputRows);
  transformMetrics.rowsOut.inc(batch.rows);
  transformMetrics.duplicates.inc(batch.duplicates);
  for (const [reason, n] of Object.entries(batch.dropped)) transformMetrics.dropped.inc({ reason }, n);
  for (const [column, ratio] of Object.entries(batch.nulls)) transformMetrics.nullRatio.set({ column }, ratio);
  transformMetrics.trackedSources.set(batch.trackedSources);
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function nonZero(ratios: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(ratios).filter(([, r]) => r > 0));
}
