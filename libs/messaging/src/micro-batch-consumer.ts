import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { ConsumedMessage } from './consumed-message';
import { BatchLimits, MicroBatch, MicroBatchTools, PlannedRange } from './micro-batch';
import { PartitionBuffer } from './partition-buffer';
import { SerialQueue } from './serial-queue';
import { withHeartbeat } from './pacemaker';

export interface MicroBatchHandler {
  /** Called when a new batch starts at `offset`; returns the range an earlier attempt fixed, if any. */
  plan?(topic: string, partition: number, offset: string): Promise<PlannedRange | undefined>;
  /** Must make the batch durable (and emit what follows from it); offsets are committed only after it resolves. */
  flush(batch: MicroBatch, tools: MicroBatchTools): Promise<void>;
}

export interface MicroBatchConsumerOptions {
  groupId: string;
  topics: string[];
  limits: BatchLimits;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  onError?: (error: unknown, context: string) => void;
  /** Reports how many fetched messages wait in buffers, after every fetch and flush (a drain KPI). */
  onBuffered?: (messages: number) => void;
}

/** How soon a batch whose flush failed is tried again when no new message arrives to trigger it. */
const RETRY_FLUSH_MS = 1000;

interface PartitionState {
  buffer: PartitionBuffer;
  queue: SerialQueue;
  timer?: NodeJS.Timeout;
}

/**
 * Consumes topics in per-partition micro-batches and commits a partition's offset only after
 * the handler made the batch durable: at-least-once delivery whose redelivery the handler
 * turns into a no-op (brief §8). Offsets are resolved as messages are buffered so fetching
 * moves on, but nothing is committed until the batch's flush has succeeded.
 */
export class MicroBatchConsumer {
  private readonly consumer: Consumer;
  private readonly partitions = new Map<string, PartitionState>();
  private draining = false;

  constructor(
    kafka: Kafka,
    private readonly options: MicroBatchConsumerOptions,
    private readonly handler: MicroBatchHandler,
  ) {
    this.consumer = kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
    });
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.onFetch(payload),
    });
  }

  /**
   * Graceful stop (SIGTERM): stop fetching, flush what every partition holds and commit it,
   * then leave the group. Committing needs live membership, hence flush before disconnect.
   */
  async drain(): Promise<void> {
    this.draining = true;
    try {
      this.consumer.pause(this.options.topics.map((topic) => ({ topic })));
    } catch (err) {
      // Not running (e.g. restarting after a crash): nothing is being fetched, so there is nothing to pause.
      this.options.onError?.(err, 'pause before drain');
    }
    for (const state of this.partitions.values()) {
      clearTimeout(state.timer);
      await state.queue.run(() => this.flush(state, 'drain', async () => undefined)).catch((err) => this.options.onError?.(err, 'drain flush'));
    }
    await this.consumer.disconnect();
  }

  /** Hard stop without flushing (tests, crash simulation): buffered messages will be redelivered. */
  async disconnect(): Promise<void> {
    for (const state of this.partitions.values()) clearTimeout(state.timer);
    await this.consumer.disconnect();
  }

  private async onFetch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const state = this.stateFor(batch.topic, batch.partition);
    await state.queue.run(async () => {
      for (const raw of batch.messages) {
        if (!isRunning() || isStale() || this.draining) return;
        const message = toConsumed(batch.topic, batch.partition, raw);
        if (state.buffer.isRewind(message)) state.buffer.clear();
        if (state.buffer.isEmpty) state.buffer.planned = await this.handler.plan?.(batch.topic, batch.partition, message.offset);
        state.buffer.add(message, Date.now());
        resolveOffset(message.offset);
        const trigger = state.buffer.dueBy(Date.now());
        if (trigger) await this.flush(state, trigger, heartbeat).catch((err) => {
          this.armTimer(state, RETRY_FLUSH_MS);
          throw err;
        });
      }
      this.armTimer(state);
      this.reportBuffered();
    });
  }

  bufferedMessages(): number {
    let total = 0;
    for (const state of this.partitions.values()) total += state.buffer.messages.length;
    return total;
  }

  private reportBuffered(): void {
    this.options.onBuffered?.(this.bufferedMessages());
  }

  /** Schedules the time-limit flush, or a retry of a batch whose flush failed (`delayMs`). */
  private armTimer(state: PartitionState, delayMs?: number): void {
    clearTimeout(state.timer);
    if (state.buffer.isEmpty) return;
    if (delayMs === undefined && state.buffer.planned) return;
    const wait = delayMs ?? Math.max(0, state.buffer.startedAt + this.options.limits.maxWaitMs - Date.now());
    state.timer = setTimeout(() => {
      state.queue
        .run(async () => {
          const trigger = state.buffer.dueBy(Date.now());
          if (trigger) await this.flush(state, trigger, async () => undefined);
          this.armTimer(state);
        })
        .catch((err) => {
          this.options.onError?.(err, 'timed flush');
          this.armTimer(state, RETRY_FLUSH_MS);
        });
    }, wait);
    state.timer.unref?.();
  }

  private async flush(state: PartitionState, trigger: MicroBatch['trigger'], heartbeat: () => Promise<void>): Promise<void> {
    if (state.buffer.isEmpty) return;
    clearTimeout(state.timer);
    const batch = state.buffer.take(trigger);
    try {
      await withHeartbeat(heartbeat, () => this.handler.flush(batch, { heartbeat }));
    } catch (err) {
      // Keep the batch: the next fetch or timer retries it, and nothing was committed.
      if (state.buffer.isEmpty) {
        state.buffer.planned = batch.planned;
        for (const m of batch.messages) state.buffer.add(m, Date.now());
      }
      throw err;
    }
    this.reportBuffered();
    const last = batch.messages[batch.messages.length - 1]!;
    await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
  }

  private stateFor(topic: string, partition: number): PartitionState {
    const id = `${topic}:${partition}`;
    let state = this.partitions.get(id);
    if (!state) {
      state = { buffer: new PartitionBuffer(topic, partition, this.options.limits), queue: new SerialQueue() };
      this.partitions.set(id, state);
    }
    return state;
  }
}

export function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  const headers: ConsumedMessage['headers'] = {};
  for (const [name, value] of Object.entries(m.headers ?? {})) headers[name] = Array.isArray(value) ? value[0] : value;
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers, timestamp: m.timestamp };
}
