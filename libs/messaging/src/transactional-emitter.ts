import { Producer } from 'kafkajs';
import { KafkaClient } from './kafka-client';
import { KafkaSettings } from './kafka-settings';
import { pipelineRequests, SerializedEvent } from './pipeline-messages';
import { DEFAULT_MAX_REQUEST_BYTES } from './request-chunks';
import { SerialQueue } from './serial-queue';
import { streamPartitioner } from './stream-partitioner';

/** The consumed message whose outputs are being sent: its offset is committed with them. */
export interface ConsumedPosition {
  groupId: string;
  topic: string;
  partition: number;
  /** The consumed message's own offset; the group's committed offset becomes the next one. */
  offset: string;
}

export interface TransactionalEmitterOptions {
  /**
   * Unique among live instances of a consumer group, and best kept across a restart of the same
   * instance (a pod name): the restarted producer then fences its predecessor and aborts the
   * transaction a crash left open at once, instead of after `transactionTimeoutMs`.
   */
  transactionalId: string;
  /**
   * How long the broker lets a transaction stay open. A step's transaction only spans its sends
   * (the work is done before it begins), so 15 s is generous, and it bounds how long consumers
   * reading committed data wait behind a transaction a crashed instance left open.
   */
  transactionTimeoutMs?: number;
  maxRequestBytes?: number;
}

/**
 * Kafka's exactly-once consume-transform-produce: a step's outputs and the consumer offset of the
 * event they follow from are committed in one transaction. Either both are visible (to consumers
 * reading committed data, kafkajs's default) or neither: a crash before the commit aborts the
 * transaction and the event is delivered again; after it, the event is not. So an output reaches
 * its topic once, whatever instant a step is killed at. Transactions run one at a time.
 */
export class TransactionalEmitter {
  private producer: Producer;
  private readonly queue = new SerialQueue();
  private connected = false;
  private readonly maxRequestBytes: number;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly settings: KafkaSettings,
    private readonly options: TransactionalEmitterOptions,
  ) {
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.producer = this.createProducer();
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.queue.idle();
    await this.producer.disconnect();
  }

  /** Sends `events` (in order, in as many requests as their size needs) and commits `consumed`'s offset, atomically. */
  emitAndCommit(events: SerializedEvent[], runId: string, consumed: ConsumedPosition): Promise<void> {
    return this.queue.run(async () => {
      const transaction = await this.producer.transaction();
      try {
        for (const topicMessages of pipelineRequests(this.settings, events, runId, this.maxRequestBytes)) {
          await transaction.sendBatch({ acks: -1, topicMessages });
        }
        await transaction.sendOffsets({
          consumerGroupId: consumed.groupId,
          topics: [{ topic: consumed.topic, partitions: [{ partition: consumed.partition, offset: (BigInt(consumed.offset) + 1n).toString() }] }],
        });
        await transaction.commit();
      } catch (err) {
        await this.recover(transaction);
        throw err;
      }
    });
  }

  /**
   * After a failed transaction: abort it, and if even that fails (the broker went away mid-way),
   * start over with a new producer under the same id, whose registration aborts the old one.
   */
  private async recover(transaction: { abort(): Promise<void>; isActive(): boolean }): Promise<void> {
    try {
      if (transaction.isActive()) await transaction.abort();
      return;
    } catch {
      // fall through to a fresh producer
    }
    const broken = this.producer;
    this.producer = this.createProducer();
    await broken.disconnect().catch(() => undefined);
    if (this.connected) await this.producer.connect().catch(() => undefined);
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      transactionalId: this.options.transactionalId,
      transactionTimeout: this.options.transactionTimeoutMs ?? 15_000,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: streamPartitioner(this.settings),
    });
  }
}
