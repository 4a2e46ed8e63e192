import { randomBytes } from 'node:crypto';
import { ALL_TOPICS, LogicalTopic, topicName } from '@flowsentry/contracts';
import { createKafka, EventProducer, kafkaSettingsFromEnv, KafkaSettings, TopicAdmin } from '@flowsentry/messaging';
import { ObjectStore, storageSettingsFromEnv } from '@flowsentry/storage';
import { DataSource } from 'typeorm';
import { auditSettingsFromEnv, createAuditDataSource } from '@flowsentry/audit';
import { stackEnv } from './stack-env';

/**
 * An isolated slice of the real stack for one test file: its own topic prefix (fresh topics),
 * consumer groups named after it, and owner-level clients to inspect what the services did.
 */
export class PipelineFixture {
  readonly prefix = `it${randomBytes(4).toString('hex')}`;
  readonly ownerEnv = stackEnv('owner');
  readonly settings: KafkaSettings = kafkaSettingsFromEnv('flowsentry-it', { ...this.ownerEnv, FLOWSENTRY_TOPIC_PREFIX: this.prefix });
  readonly kafka = createKafka(this.settings);
  readonly producer = new EventProducer(this.kafka, this.settings);
  readonly admin = new TopicAdmin(this.kafka);
  readonly store = new ObjectStore(storageSettingsFromEnv(this.ownerEnv));
  readonly db: DataSource = createAuditDataSource(auditSettingsFromEnv(this.ownerEnv), 'flowsentry-it');

  topic(logical: LogicalTopic): string {
    return topicName(logical, this.prefix);
  }

  group(service: string): string {
    return `${this.prefix}-${service}`;
  }

  /** Env overrides that point a service at this fixture's topics and groups. */
  serviceEnv(service: string, extra: Record<string, string> = {}): Record<string, string> {
    return { FLOWSENTRY_TOPIC_PREFIX: this.prefix, [`${service.toUpperCase()}_GROUP_ID`]: this.group(service), ...extra };
  }

  async setUp(partitions = 3): Promise<void> {
    await this.admin.ensureTopics(ALL_TOPICS.map((t) => this.topic(t)), partitions);
    await this.producer.connect();
    await this.db.initialize();
  }

  /**
   * Deletes this fixture's topics as well: every test file makes some forty, and a broker that
   * keeps thousands of dead partitions takes minutes to start.
   */
  async tearDown(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.deleteTopics(ALL_TOPICS.map((t) => this.topic(t))).catch(() => undefined);
    if (this.db.isInitialized) await this.db.destroy();
  }
}
