import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createAuditDataSource } from '@flowsentry/audit';
import { createKafka, EventProducer, KafkaSettings, TopicAdmin } from '@flowsentry/messaging';
import { ObjectStore } from '@flowsentry/storage';
import { createLogger, ReadinessCheck } from '@flowsentry/telemetry';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';

/** The service's clients of Kafka, MinIO and PostgreSQL, opened at start and closed last. */
@Injectable()
export class Connections implements OnApplicationShutdown {
  readonly kafkaSettings: KafkaSettings;
  readonly kafka: Kafka;
  readonly producer: EventProducer;
  readonly store: ObjectStore;
  readonly db: DataSource;

  constructor(@Inject(INGEST_CONFIG) config: IngestConfig) {
    const log = createLogger('ingest');
    this.kafkaSettings = config.kafka;
    this.store = new ObjectStore(config.storage);
    this.db = createAuditDataSource(config.audit, 'flowsentry-ingest');
    this.kafka = createKafka(this.kafkaSettings, (level, message, extra) => log[level]({ kafka: extra }, message));
    this.producer = new EventProducer(this.kafka, this.kafkaSettings);
  }

  async open(): Promise<void> {
    await this.db.initialize();
    await this.producer.connect();
  }

  readiness(): ReadinessCheck[] {
    const admin = new TopicAdmin(this.kafka);
    return [
      { name: 'kafka', check: () => admin.ping() },
      { name: 'minio', check: () => this.store.ping('raw') },
      // Reads the table ingest needs, so a missing migration or grant fails readiness, not the first batch.
      { name: 'postgres', check: async () => void (await this.db.query('SELECT 1 FROM ingestion_batches LIMIT 1')) },
    ];
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    if (this.db.isInitialized) await this.db.destroy();
  }
}

export const READINESS = 'flowsentry.ingest.readiness';

/** Imported by the app and by the health checks, which need the same clients. */
@Module({})
export class ConnectionsModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: ConnectionsModule,
      providers: [{ provide: INGEST_CONFIG, useValue: config }, Connections, { provide: READINESS, useFactory: (c: Connections) => c.readiness(), inject: [Connections] }],
      exports: [Connections, READINESS, INGEST_CONFIG],
    };
  }
}
