import { DataSource } from 'typeorm';
import { createAuditDataSource } from '@flowsentry/audit';
import { createKafka, EventProducer, KafkaClient, KafkaSettings, TopicAdmin } from '@flowsentry/messaging';
import { Layer, ObjectStore } from '@flowsentry/storage';
import { createLogger, ReadinessCheck } from '@flowsentry/telemetry';
import { ConnectionSettings } from './service-config';

/** What /health/ready proves before a service takes traffic. */
export interface ReadinessTargets {
  /** A bucket the service writes to: missing provisioning fails readiness, not the first event. */
  bucket: Layer;
  /** A table the service needs: a missing migration or grant fails readiness, not the first event. */
  table: string;
}

/** A service's clients of Kafka, MinIO and PostgreSQL, opened at start and closed last. */
export class ServiceConnections {
  readonly kafkaSettings: KafkaSettings;
  readonly kafka: KafkaClient;
  readonly producer: EventProducer;
  readonly store: ObjectStore;
  readonly db: DataSource;
  private opened?: Promise<void>;

  constructor(settings: ConnectionSettings) {
    const log = createLogger(settings.service);
    this.kafkaSettings = settings.kafka;
    this.store = new ObjectStore(settings.storage);
    this.db = createAuditDataSource(settings.audit, `flowsentry-${settings.service}`);
    this.kafka = createKafka(this.kafkaSettings, (level, message, extra) => log[level]({ kafka: extra }, message));
    this.producer = new EventProducer(this.kafka, this.kafkaSettings);
  }

  /** Idempotent: the consumer and an HTTP controller of the same service may both ask. */
  open(): Promise<void> {
    this.opened ??= (async () => {
      await this.db.initialize();
      await this.producer.connect();
    })();
    return this.opened;
  }

  readiness(targets: ReadinessTargets): ReadinessCheck[] {
    const admin = new TopicAdmin(this.kafka);
    return [
      { name: 'kafka', check: () => admin.ping() },
      { name: 'minio', check: () => this.store.ping(targets.bucket) },
      { name: 'postgres', check: async () => void (await this.db.query(`SELECT 1 FROM ${targets.table} LIMIT 1`)) },
    ];
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    if (this.db.isInitialized) await this.db.destroy();
  }
}
