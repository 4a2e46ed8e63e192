import { Consumer, EachBatchPayload } from 'kafkajs';
import { ConsumedMessage } from './consumed-message';
import { KafkaClient } from './kafka-client';
import { toConsumed } from './micro-batch-consumer';
import { restartAfterCrashes } from './crash-restart';
import { PARTITION_ASSIGNERS } from './ordered-assigner';
import { withHeartbeat } from './pacemaker';

export interface EventHandlerTools {
  /** Keeps the group membership alive; the consumer already beats while `handle` runs, this is for tight loops. */
  heartbeat(): Promise<void>;
  /**
   * The partition's next message when the fetch already holds it, so a handler can start preparing
   * it (read-ahead) while it finishes this one. It is handled, and committed, only after this one.
   */
  readonly upcoming?: ConsumedMessage;
  /**
   * Which of this member's group assignments the message is handled under: it grows with every
   * rebalance the member takes part in. State a handler keeps in memory per partition may be stale
   * once it changed, since another member may have handled the partition meanwhile.
   */
  readonly assignment: number;
}

export interface EventHandler {
  /**
   * Resolves once everything that follows from the message is durable (or dead-lettered);
   * only then is its offset committed. A rejection means "not done": the partition is read
   * again from this message after a pause, so nothing after it is committed either.
   */
  handle(message: ConsumedMessage, tools: EventHandlerTools): Promise<void>;
}

export interface EventConsumerOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How long a partition rests after a handler rejected a message, before it is read again. */
  retryPauseMs?: number;
  /** How long the consumer rests after a crash kafkajs does not restart it from, before it starts again. */
  restartPauseMs?: number;
  onError?: (error: unknown, context: string) => void;
  /** Messages behind the partition's high watermark after each handled message (consumer lag). */
  onLag?: (topic: string, partition: number, lag: number) => void;
  /**
   * Partitions handled at once (default 1), each still one message at a time in offset order: while
   * one partition's handler waits on storage, the database or Kafka, another's can run. Only for
   * handlers whose state is per partition.
   */
  partitionsConsumedConcurrently?: number;
}

/**
 * Per-event consumption for the pipeline steps: each partition's messages are handled one at a
 * time in offset order and each offset is committed only after its handler resolved (manual
 * commits, at-least-once; the step runtime makes redelivery a no-op). Kafka serialises a
 * partition to one member of the group, so a stateful step sees a partition's events in order,
 * and scaling out is adding members.
 */
export class EventConsumer {
  private readonly consumer: Consumer;
  private readonly heartbeatIntervalMs: number;
  private draining = false;
  private closed = false;
  private cancelRestart: () => void = () => undefined;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private assignment = 0;

  constructor(
    kafka: KafkaClient,
    private readonly options: EventConsumerOptions,
    private readonly handler: EventHandler,
  ) {
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3_000;
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.heartbeatIntervalMs,
      allowAutoTopicCreation: false,
      partitionAssigners: PARTITION_ASSIGNERS,
    });
    // kafkajs emits it after every join and sync, before anything of the new assignment is fetched.
    this.consumer.on(this.consumer.events.GROUP_JOIN, () => void this.assignment++);
  }

  async start(): Promise<void> {
    this.cancelRestart = restartAfterCrashes(this.consumer, {
      start: () => this.run(),
      stopped: () => this.draining || this.closed,
      pauseMs: this.options.restartPauseMs ?? 5_000,
      onError: this.options.onError,
    });
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /**
   * Graceful stop: the message being handled finishes and is committed, nothing new starts, then
   * the member leaves the group (kafkajs waits for the running batch callback before it leaves).
   */
  async drain(): Promise<void> {
    this.draining = true;
    await this.disconnect();
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    this.cancelRestart();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await this.consumer.disconnect();
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    const { messages } = batch;
    for (let i = 0; i < messages.length; i++) {
      if (this.draining || !isRunning() || isStale()) return;
      const message = toConsumed(batch.topic, batch.partition, messages[i]!);
      const next = messages[i + 1];
      const upcoming = next && toConsumed(batch.topic, batch.partition, next);
      try {
        await withHeartbeat(heartbeat, () => this.handler.handle(message, { heartbeat, upcoming, assignment: this.assignment }), this.heartbeatIntervalMs);
      } catch (err) {
        this.options.onError?.(err, `handling ${message.topic}/${message.partition}@${message.offset}`);
        this.retryLater(message, pause());
        return;
      }
      resolveOffset(message.offset);
      await this.consumer.commitOffsets([{ topic: message.topic, partition: message.partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      this.options.onLag?.(batch.topic, batch.partition, Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(message.offset) - 1n)));
    }
  }

  /** The failed message is read again, not skipped: seek back to it, then resume after the pause. */
  private retryLater(message: ConsumedMessage, resume: () => void): void {
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      try {
        this.consumer.seek({ topic: message.topic, partition: message.partition, offset: message.offset });
        resume();
      } catch (err) {
        // Not running any more: a restart resumes from the committed offset, which is this message.
        this.options.onError?.(err, 'seek after failure');
      }
    }, this.options.retryPauseMs ?? 1_000);
    timer.unref?.();
    this.retryTimers.add(timer);
  }
}
