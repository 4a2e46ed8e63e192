import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@flowsentry/contracts';
import { DeadLetterPublisher, MicroBatchConsumer, physicalTopic } from '@flowsentry/messaging';
import { SERVICE_CONFIG, ServiceConnections } from '@flowsentry/runtime';
import { Logger, LOGGER } from '@flowsentry/telemetry';
import { IngestConfig } from './ingest.config';
import { RawBatchLander } from './raw-batch-lander';
import { InlineRawBatchEncoder, RawBatchEncoder } from './raw-batch-encoder';
import { WorkerRawBatchEncoder } from './raw-encode-workers';
import { ingestMetrics } from './ingest.metrics';

/** Subscribes ingest to `network.events` once the app is up, and drains it on SIGTERM. */
@Injectable()
export class NetworkEventsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: MicroBatchConsumer;
  private encoder?: RawBatchEncoder;

  constructor(
    private readonly connections: ServiceConnections,
    @Inject(SERVICE_CONFIG) private readonly config: IngestConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { kafka, kafkaSettings, producer, store, db } = this.connections;
    await this.connections.open();
    const encoding = { maxEventBytes: this.config.INGEST_MAX_EVENT_BYTES, gzipLevel: this.config.INGEST_RAW_GZIP_LEVEL };
    this.encoder = this.config.INGEST_ENCODE_WORKERS > 0 ? new WorkerRawBatchEncoder(this.config.INGEST_ENCODE_WORKERS, encoding) : new InlineRawBatchEncoder(encoding);
    await this.encoder.start();
    const lander = new RawBatchLander(
      db,
      store,
      producer,
      new DeadLetterPublisher(producer, kafkaSettings, this.config.INGEST_GROUP_ID, Topics.networkEventsDlq),
      this.encoder,
      { consumerGroup: this.config.INGEST_GROUP_ID },
      this.log,
    );
    this.consumer = new MicroBatchConsumer(
      kafka,
      {
        groupId: this.config.INGEST_GROUP_ID,
        topics: [physicalTopic(kafkaSettings, Topics.networkEvents)],
        limits: { maxCount: this.config.INGEST_BATCH_MAX_EVENTS, maxBytes: this.config.INGEST_BATCH_MAX_BYTES, maxWaitMs: this.config.INGEST_BATCH_MAX_WAIT_MS },
        onError: (err, where) => this.log.error({ err }, `ingest ${where} failed; will retry`),
        onBuffered: (n) => ingestMetrics.buffered.set(n),
      },
      lander,
    );
    await this.consumer.start();
    this.log.info(
      { group: this.config.INGEST_GROUP_ID, encodeWorkers: this.config.INGEST_ENCODE_WORKERS, maxEvents: this.config.INGEST_BATCH_MAX_EVENTS, maxBytes: this.config.INGEST_BATCH_MAX_BYTES, maxWaitMs: this.config.INGEST_BATCH_MAX_WAIT_MS },
      'ingest consuming network.events',
    );
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    if (!this.consumer) return;
    this.log.info({ signal }, 'draining: flushing open batches before exit');
    await this.consumer.drain();
    await this.encoder?.close();
    this.log.info('drained');
  }
}
