import { DataSource } from 'typeorm';
import { buildEvent, deterministicId, rawDatasetId, rawLandedKey, Topics } from '@flowsentry/contracts';
import { IngestionBatch, IngestionBatches, kafkaRangeRef, RunLedger } from '@flowsentry/audit';
import { DeadLetterPublisher, EventProducer, MicroBatch, MicroBatchHandler, MicroBatchTools, PlannedRange, RewindRequired } from '@flowsentry/messaging';
import { formatRef, ObjectRef, ObjectStore, rawBatchRef, StoredObject } from '@flowsentry/storage';
import { ATTR_DATASET_ID, ATTR_RUN_ID, currentTraceId, linkFrom, linksFrom, Logger, phaseTimer, withConsumerSpan, withSpan } from '@flowsentry/telemetry';
import { EncodedRawBatch, RawBatchEncoder } from './raw-batch-encoder';
import { ingestMetrics } from './ingest.metrics';

export interface LanderOptions {
  consumerGroup: string;
}

/**
 * Lands one micro-batch: plan the range, send rejects to the DLQ, write the RAW object, record
 * it in the audit tables, emit `raw.landed`. Each step is safe to repeat, and the range is
 * recorded before any side effect, so a crash at any point is finished by the next attempt
 * with the same object key, the same bytes and the same event id.
 */
export class RawBatchLander implements MicroBatchHandler {
  constructor(
    private readonly db: DataSource,
    private readonly store: ObjectStore,
    private readonly producer: EventProducer,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly encoder: RawBatchEncoder,
    private readonly options: LanderOptions,
    private readonly log: Logger,
  ) {}

  async plan(topic: string, partition: number, offset: string): Promise<PlannedRange | undefined> {
    const row = await new IngestionBatches(this.db.manager).covering(this.options.consumerGroup, topic, partition, offset);
    return row ? { firstOffset: row.firstOffset, lastOffset: row.lastOffset } : undefined;
  }

  async flush(batch: MicroBatch, tools: MicroBatchTools): Promise<void> {
    const first = batch.messages[0]!;
    const last = batch.messages[batch.messages.length - 1]!;
    const range = { first: batch.planned?.firstOffset ?? first.offset, last: batch.planned?.lastOffset ?? last.offset };
    const ids = batchIdentity(batch.topic, batch.partition, range.first, range.last);
    // The batch continues the trace of its first traced message and links the other producer spans (fan-in, brief §9).
    const parent = batch.messages.find((m) => m.headers.traceparent)?.headers;
    const parentSpan = linkFrom(parent)?.context.spanId;
    await withConsumerSpan(
      'ingest.land_batch',
      parent,
      { [ATTR_RUN_ID]: ids.runId, [ATTR_DATASET_ID]: ids.datasetId, 'messaging.batch.message_count': batch.messages.length, 'flowsentry.batch.trigger': batch.trigger },
      () => this.land(batch, range, ids, tools),
      linksFrom(batch.messages.map((m) => m.headers)).filter((link) => link.context.spanId !== parentSpan),
    );
  }

  /**
   * Validating, dead-lettering and writing the object overlap with the previous batch of the
   * partition; recording and emitting wait for it (`inOrder`), so raw.landed keeps offset order.
   */
  private async land(batch: MicroBatch, range: { first: string; last: string }, ids: BatchIdentity, tools: MicroBatchTools): Promise<void> {
    const started = Date.now();
    const phase = phaseTimer(ingestMetrics.phase);
    ingestMetrics.eventsIn.inc(batch.messages.length);
    const ref = rawBatchRef(batch.topic, batch.partition, range.first, range.last, Number(batch.messages[0]!.timestamp));
    const row = await new IngestionBatches(this.db.manager).plan({
      consumerGroup: this.options.consumerGroup,
      topic: batch.topic,
      partition: batch.partition,
      firstOffset: range.first,
      lastOffset: range.last,
      objectRef: formatRef(ref),
      eventId: ids.eventId,
      runId: ids.runId,
    });
    phase('plan');
    if (row.status === 'landed') return tools.inOrder(() => this.reemit(row));
    if (batch.messages[0]!.offset !== row.firstOffset) {
      // A replay that starts inside a recorded, unfinished batch: its head is not in this delivery.
      throw new RewindRequired(row.firstOffset);
    }

    const encoded = await this.encoder.encode(batch.messages);
    phase('encode');
    if (encoded.deadLetters.length > 0) {
      await withSpan('dlq.publish', { 'messaging.batch.message_count': encoded.deadLetters.length }, () => this.deadLetters.publish(encoded.deadLetters));
      for (const letter of encoded.deadLetters) ingestMetrics.rejected.inc({ reason: letter.reason });
      phase('dead_letter');
    }
    if (encoded.accepted === 0) {
      await new IngestionBatches(this.db.manager).markLanded(keyOf(row), { sha256: null, eventCount: 0, rejected: encoded.deadLetters.length, landedEvent: null });
      return;
    }

    const gz = encoded.gz;
    const stored = await withSpan('raw.write', { 'flowsentry.object': formatRef(ref), 'flowsentry.bytes': gz.length }, () => this.store.put(ref, gz, 'application/gzip'));
    phase('write_raw');
    const event = buildEvent(Topics.rawLanded, {
      id: ids.eventId,
      service: 'ingest',
      subject: ids.datasetId,
      data: {
        datasetId: ids.datasetId,
        objectKey: formatRef(ref),
        sha256: stored.sha256,
        bytes: stored.size,
        count: encoded.accepted,
        rejected: encoded.deadLetters.length,
        source: { topic: batch.topic, partition: batch.partition, firstOffset: range.first, lastOffset: range.last },
        minEventTime: new Date(encoded.minEventTimeMs!).toISOString(),
        maxEventTime: new Date(encoded.maxEventTimeMs!).toISOString(),
      },
    });

    const serialized = JSON.stringify(event);
    await tools.inOrder(async () => {
      phase('wait_in_order');
      await withSpan('audit.record', { 'db.system': 'postgresql' }, () => this.recordLanding(batch, range, ids, ref, stored, encoded, row, serialized, started));
      phase('audit');
      await this.producer.emitSerialized(Topics.rawLanded, rawLandedKey(batch.topic, batch.partition), serialized, ids.runId);
      phase('emit');
    });

    ingestMetrics.eventsLanded.inc(encoded.accepted);
    ingestMetrics.batches.inc({ trigger: batch.trigger });
    ingestMetrics.rawBytes.inc(stored.size);
    ingestMetrics.batchSize.observe(encoded.accepted);
    ingestMetrics.batchLatency.observe((Date.now() - started) / 1000);
    this.log.info({ dataset_id: ids.datasetId, object: formatRef(ref), accepted: encoded.accepted, rejected: encoded.deadLetters.length, trigger: batch.trigger, ms: Date.now() - started }, 'raw batch landed');
  }

  /** Run, artifact, lineage, step and the batch's landed state commit together or not at all. */
  private async recordLanding(
    batch: MicroBatch,
    range: { first: string; last: string },
    ids: BatchIdentity,
    ref: ObjectRef,
    stored: StoredObject,
    encoded: EncodedRawBatch,
    row: IngestionBatch,
    serializedEvent: string,
    started: number,
  ): Promise<void> {
    const source = kafkaRangeRef(batch.topic, batch.partition, range.first, range.last);
    await this.db.transaction(async (em) => {
      const ledger = new RunLedger(em);
      await ledger.ensureRun({ runId: ids.runId, trigger: 'raw.landed', traceId: currentTraceId() ?? null });
      await ledger.recordArtifact({ ref: formatRef(ref), layer: 'raw', sha256: stored.sha256, sizeBytes: String(stored.size), contentType: 'application/gzip', producedBy: 'ingest', runId: ids.runId });
      await ledger.link([{ parentRef: source, childRef: formatRef(ref), relation: 'ingested', runId: ids.runId }]);
      await ledger.recordStep({
        runId: ids.runId,
        service: 'ingest',
        step: 'ingestion',
        status: 'succeeded',
        inputRef: source,
        outputEventId: ids.eventId,
        details: { accepted: encoded.accepted, rejected: encoded.deadLetters.length, rawBytes: encoded.rawBytes, gzBytes: stored.size, trigger: batch.trigger },
        startedAt: new Date(started),
      });
      await new IngestionBatches(em).markLanded(keyOf(row), { sha256: stored.sha256, eventCount: encoded.accepted, rejected: encoded.deadLetters.length, landedEvent: serializedEvent });
    });
  }

  /** A redelivered, already landed batch: emit the identical event again, the consumers' guard dedups it. */
  private async reemit(row: IngestionBatch): Promise<void> {
    if (!row.landedEvent) return;
    await this.producer.emitSerialized(Topics.rawLanded, rawLandedKey(row.topic, row.partition), row.landedEvent, row.runId);
    this.log.info({ object: row.objectRef, event_id: row.eventId }, 'batch already landed; re-emitted raw.landed');
  }
}

interface BatchIdentity {
  datasetId: string;
  eventId: string;
  runId: string;
}

/** Everything named after the batch's Kafka coordinates, so a replay reproduces every name. */
function batchIdentity(topic: string, partition: number, first: string, last: string): BatchIdentity {
  return {
    datasetId: rawDatasetId(topic, partition, first, last),
    eventId: deterministicId('raw.landed', topic, partition, first, last),
    runId: deterministicId('run', topic, partition, first, last),
  };
}


function keyOf(row: IngestionBatch) {
  return { consumerGroup: row.consumerGroup, topic: row.topic, partition: row.partition, firstOffset: row.firstOffset };
}
