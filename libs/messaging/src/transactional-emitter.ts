import { Producer, Transaction } from 'kafkajs';
import { KafkaClient } from './kafka-client';
import { KafkaSettings } from './kafka-settings';
import { pipelineRequests, SerializedEvent } from './pipeline-messages';
import { DEFAULT_MAX_REQUEST_BYTES } from './request-chunks';
import { SerialQueue } from './serial-queue';
import { streamPartitioner } from './stream-partitioner';
import { TopicAdmin } from './topic-admin';

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
  /** The wait before a send's first retry, doubling from there (default FIRST_SEND_RETRY_MS). */
  firstSendRetryMs?: number;
}

/**
 * The first send of a transaction registers its partitions with the coordinator (AddPartitionsToTxn).
 * Begun right after the previous commit, it often finds the broker still writing that commit's
 * markers and is refused with CONCURRENT_TRANSACTIONS, which is retriable. kafkajs then waits the
 * client's first retry time (200 ms here) before asking again: a quarter of back-to-back transactions
 * stalled that long (bench/messaging/transactions.ts). Java's producer asks again after 20 ms. Eleven
 * doubling retries from 20 ms give a broker that is really gone about as long (~19 s) as the client's
 * eight from 200 ms (~21 s).
 */
export const FIRST_SEND_RETRY_MS = 20;
const SEND_RETRIES = 11;
const MAX_SEND_RETRY_MS = 5_000;

/**
 * Kafka's exactly-once consume-transform-produce: a step's outputs and the consumer offset of the
 * event they follow from are committed in one transaction. Either both are visible (to consumers
 * reading committed data, kafkajs's default) or neither: a crash before the commit aborts the
 * transaction and the event is delivered again; after it, the event is not. So an output reaches
 * its topic once, whatever instant a step is killed at. Transactions run one at a time.
 *
 * A commit the broker never answered (it went down during EndTxn) may or may not have happened.
 * The caller retries; before sending again, the retry asks the group coordinator whether the
 * consumed offset was committed, which it was exactly when the transaction was, and if so
 * sends nothing: the outputs are already on their topics.
 */
export class TransactionalEmitter {
  private producer: Producer;
  private readonly queue = new SerialQueue();
  private connected = false;
  /** Whether `producer` still has to connect: a fresh one made while the broker was down. */
  private pendingConnect = false;
  /**
   * The consumed position of each transaction whose commit went unanswered, by consumed partition:
   * with partitions handled side by side, another partition's send may come before the retry.
   */
  private readonly inDoubt = new Map<string, ConsumedPosition>();
  private readonly maxRequestBytes: number;
  private readonly offsets: Pick<TopicAdmin, 'committed'>;

  constructor(
    private readonly kafka: KafkaClient,
    private readonly settings: KafkaSettings,
    private readonly options: TransactionalEmitterOptions,
    offsets?: Pick<TopicAdmin, 'committed'>,
  ) {
    this.maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    this.producer = this.createProducer();
    this.offsets = offsets ?? new TopicAdmin(kafka);
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
      let transaction: Transaction | undefined;
      let committing = false;
      try {
        if (this.pendingConnect) {
          await this.producer.connect();
          this.pendingConnect = false;
        }
        // Beginning the first transaction of a fresh producer registers its id, and the broker first
        // completes whatever transaction the previous producer left, so the answer below is final.
        transaction = await this.producer.transaction();
        const doubted = this.inDoubt.get(partitionKey(consumed));
        if (doubted && (await this.alreadyCommitted(doubted, consumed))) {
          this.inDoubt.delete(partitionKey(consumed));
          await transaction.abort();
          return;
        }
        this.inDoubt.delete(partitionKey(consumed));
        for (const topicMessages of pipelineRequests(this.settings, events, runId, this.maxRequestBytes)) {
          await transaction.sendBatch({ acks: -1, topicMessages });
        }
        await transaction.sendOffsets({
          consumerGroupId: consumed.groupId,
          topics: [{ topic: consumed.topic, partitions: [{ partition: consumed.partition, offset: nextOffset(consumed) }] }],
        });
        committing = true;
        await transaction.commit();
      } catch (err) {
        if (committing) this.inDoubt.set(partitionKey(consumed), consumed);
        // A fresh producer that could not connect yet is still fresh: it tries again next time.
        if (transaction || !this.pendingConnect) await this.recover(transaction);
        throw err;
      }
    });
  }

  /** Whether the in-doubt transaction for `consumed` (the same event, retried) did commit. */
  private async alreadyCommitted(inDoubt: ConsumedPosition, consumed: ConsumedPosition): Promise<boolean> {
    const same = inDoubt.groupId === consumed.groupId && inDoubt.topic === consumed.topic && inDoubt.partition === consumed.partition && inDoubt.offset === consumed.offset;
    if (!same) return false;
    const committed = (await this.offsets.committed(consumed.groupId, consumed.topic)).find((p) => p.partition === consumed.partition);
    return committed !== undefined && BigInt(committed.offset) >= BigInt(nextOffset(consumed));
  }

  /**
   * After a failed transaction: abort it while it is open. Otherwise start over with a new producer
   * under the same id, whose registration aborts or completes what the old one left: a commit or an
   * abort the broker never answered leaves kafkajs's producer in COMMITTING or ABORTING, where it
   * refuses every later transaction.
   */
  private async recover(transaction: Transaction | undefined): Promise<void> {
    if (transaction?.isActive()) {
      try {
        await transaction.abort();
        return;
      } catch {
        // fall through to a fresh producer
      }
    }
    const broken = this.producer;
    this.producer = this.createProducer();
    await broken.disconnect().catch(() => undefined);
    if (!this.connected) return;
    this.pendingConnect = !(await this.producer.connect().then(
      () => true,
      () => false,
    ));
  }

  private createProducer(): Producer {
    return this.kafka.producer({
      transactionalId: this.options.transactionalId,
      transactionTimeout: this.options.transactionTimeoutMs ?? 15_000,
      retry: { initialRetryTime: this.options.firstSendRetryMs ?? FIRST_SEND_RETRY_MS, retries: SEND_RETRIES, maxRetryTime: MAX_SEND_RETRY_MS },
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: streamPartitioner(this.settings),
    });
  }
}

function partitionKey(consumed: ConsumedPosition): string {
  return `${consumed.groupId}\u0000${consumed.topic}\u0000${consumed.partition}`;
}

function nextOffset(consumed: ConsumedPosition): string {
  return (BigInt(consumed.offset) + 1n).toString();
}
