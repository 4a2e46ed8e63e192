import { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { ConsumedMessage } from './consumed-message';
import { BatchLimits, MicroBatch, MicroBatchTools, PlannedRange, PreviousBatchFailed, RewindRequired } from './micro-batch';
import { compareOffsets } from './offsets';
import { restartAfterCrashes } from './crash-restart';
import { PARTITION_ASSIGNERS } from './ordered-assigner';
import { PartitionBuffer } from './partition-buffer';
import { SerialQueue } from './serial-queue';
import { withHeartbeat } from './pacemaker';

export interface MicroBatchHandler {
  /** Called when a new batch starts at `offset`; returns the range an earlier attempt fixed, if any. */
  plan?(topic: string, partition: number, offset: string): Promise<PlannedRange | undefined>;
  /**
   * Must make the batch durable (and emit what follows from it); offsets are committed only after it
   * resolves, in offset order. Up to `landingsPerPartition` batches of a partition flush at once:
   * order-sensitive steps go through `tools.inOrder`.
   */
  flush(batch: MicroBatch, tools: MicroBatchTools): Promise<void>;
}

export interface MicroBatchConsumerOptions {
  groupId: string;
  topics: string[];
  limits: BatchLimits;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** How many partitions' fetched batches are handled at once (kafkajs handles one at a time by default). */
  partitionsConsumedConcurrently?: number;
  /** Batches of one partition landing at once (default 2): the next one's reading and writing overlap the previous one's recording. */
  landingsPerPartition?: number;
  onError?: (error: unknown, context: string) => void;
  /** Reports how many fetched messages wait in buffers, after every fetch and flush (a drain KPI). */
  onBuffered?: (messages: number) => void;
}

/** After a failed flush, how long before the partition is read again from the failed batch. */
const RETRY_FLUSH_MS = 1000;

interface PartitionState {
  buffer: PartitionBuffer;
  /** Serializes this partition's fetch handling, timer and drain. */
  queue: SerialQueue;
  timer?: NodeJS.Timeout;
  /** Batches being landed, oldest first, each settling when it has landed or failed. Bounded, so memory is. */
  landings: Array<Promise<void>>;
  /**
   * Settles when the newest batch handed out has landed and been committed, or rejects when it or
   * one before it failed: the next batch chains its in-order steps and its commit on it.
   */
  tail: Promise<void>;
  /**
   * Set by a failed landing to its first offset. Until the re-read reaches it, everything else is
   * dropped, including batches the client fetched before the seek and delivers after it.
   */
  rewindTo?: string;
  rewindTimer?: NodeJS.Timeout;
}

/**
 * Consumes topics in per-partition micro-batches and commits a partition's offset only after
 * the handler made the batch durable: at-least-once delivery whose redelivery the handler
 * turns into a no-op (brief §8).
 *
 * Landing a batch runs while the next ones are fetched and decoded, and up to
 * `landingsPerPartition` batches of a partition land at once (their in-order steps and commits
 * still one after another, in offset order), so storage and database round trips overlap with
 * each other and with the client's own work. If a landing fails, nothing after it may be
 * committed: the partition is rewound to the failed batch's first offset and read again.
 */
export class MicroBatchConsumer {
  private readonly consumer: Consumer;
  private readonly partitions = new Map<string, PartitionState>();
  private draining = false;
  private closed = false;
  private cancelRestart: () => void = () => undefined;

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
      partitionAssigners: PARTITION_ASSIGNERS,
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
    });
  }

  async start(): Promise<void> {
    this.cancelRestart = restartAfterCrashes(this.consumer, { start: () => this.run(), stopped: () => this.draining || this.closed, pauseMs: 5_000, onError: this.options.onError });
    await this.run();
  }

  private async run(): Promise<void> {
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.options.topics, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Partitions have their own queues and in-flight landings: while one waits for its previous
      // landing or its plan query, the others' fetched batches are buffered, not held behind it.
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 8,
      eachBatch: (payload) => this.onFetch(payload),
    });
  }

  /**
   * Graceful stop (SIGTERM): stop fetching, land what every partition holds and commit it,
   * then leave the group. Committing needs live membership, hence landing before disconnect.
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
      clearTimeout(state.rewindTimer);
      await state.queue
        .run(async () => {
          await this.dispatch(state, 'drain', noHeartbeat);
          await Promise.all(state.landings);
        })
        .catch((err) => this.options.onError?.(err, 'drain'));
    }
    await this.consumer.disconnect();
  }

  /** Hard stop without landing (tests, crash simulation): buffered messages will be redelivered. */
  async disconnect(): Promise<void> {
    this.closed = true;
    this.cancelRestart();
    for (const state of this.partitions.values()) {
      clearTimeout(state.timer);
      clearTimeout(state.rewindTimer);
    }
    await this.consumer.disconnect();
  }

  bufferedMessages(): number {
    let total = 0;
    for (const state of this.partitions.values()) total += state.buffer.messages.length;
    return total;
  }

  private async onFetch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const state = this.stateFor(batch.topic, batch.partition);
    await state.queue.run(async () => {
      // Resolving is a kafkajs bookkeeping call (64-bit offset arithmetic per call): once per
      // fetch, for the last message taken, gives the same position as once per message.
      let taken: string | undefined;
      // A stop, seek or drain can only begin while this loop awaits, so liveness is read again after
      // each await, not per message: isStale() serialises a map key per call (seen in the profile).
      let recheck = true;
      try {
        for (const raw of batch.messages) {
          if (recheck && (!isRunning() || isStale() || this.draining)) return;
          recheck = false;
          if (state.rewindTo !== undefined) {
            if (compareOffsets(raw.offset, state.rewindTo) > 0) continue;
            state.rewindTo = undefined;
          }
          const message = toConsumed(batch.topic, batch.partition, raw);
          if (state.buffer.isRewind(message)) state.buffer.clear();
          if (state.buffer.isEmpty) {
            state.buffer.planned = await this.handler.plan?.(batch.topic, batch.partition, message.offset);
            recheck = true;
          }
          state.buffer.add(message, Date.now());
          taken = message.offset;
          const trigger = state.buffer.dueBy(Date.now());
          if (trigger) {
            await this.dispatch(state, trigger, heartbeat);
            recheck = true;
          }
        }
      } finally {
        if (taken !== undefined) resolveOffset(taken);
      }
      this.armTimer(state);
      this.reportBuffered();
    });
  }

  /** Hands the buffered batch to the handler without waiting for it, once a landing slot is free. */
  private async dispatch(state: PartitionState, trigger: MicroBatch['trigger'], heartbeat: () => Promise<void>): Promise<void> {
    const slots = this.options.landingsPerPartition ?? 2;
    while (state.landings.length >= slots) await withHeartbeat(heartbeat, () => state.landings[0]!);
    if (state.buffer.isEmpty || state.rewindTo !== undefined) return;
    clearTimeout(state.timer);
    const batch = state.buffer.take(trigger);
    const done = this.land(state, batch, state.tail);
    // The tail's rejection is for the next batch to see; marking it handled here keeps it from being reported as unhandled.
    done.catch(() => undefined);
    state.tail = done;
    const settled = done
      .catch(() => undefined)
      .finally(() => {
        state.landings.splice(state.landings.indexOf(settled), 1);
        this.reportBuffered();
      });
    state.landings.push(settled);
  }

  /**
   * Lands one batch and commits it once every earlier batch of the partition is committed. The
   * earliest failed batch decides the rewind: later ones fail with it (their in-order steps and
   * commits wait on it), and a later batch's own error waits for the earlier ones to settle, so a
   * partition is never rewound past a batch that is still to be read again.
   */
  private async land(state: PartitionState, batch: MicroBatch, previous: Promise<void>): Promise<void> {
    const first = batch.messages[0]!.offset;
    const last = batch.messages[batch.messages.length - 1]!.offset;
    const afterPrevious = () =>
      previous.catch(() => {
        throw new PreviousBatchFailed();
      });
    try {
      await this.handler.flush(batch, { heartbeat: noHeartbeat, inOrder: async (step) => (await afterPrevious(), step()) });
      await afterPrevious();
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
    } catch (err) {
      const earlierFailed = err instanceof PreviousBatchFailed || (await previous.then(() => false, () => true));
      if (earlierFailed) throw err;
      this.options.onError?.(err, `landing ${batch.topic}/${batch.partition} ${first}-${last}`);
      // Every batch before this one is committed and every later one fails on its chain: what is read again starts clean.
      state.tail = Promise.resolve();
      this.rewind(state, batch.topic, batch.partition, err instanceof RewindRequired ? err.offset : first);
      throw err;
    }
  }

  /**
   * Drops what was read after a failed batch and reads the partition again from that batch, after a
   * pause. With several failed batches the earliest offset wins.
   */
  private rewind(state: PartitionState, topic: string, partition: number, offset: string): void {
    if (state.rewindTo !== undefined && compareOffsets(state.rewindTo, offset) <= 0) return;
    state.buffer.clear();
    state.rewindTo = offset;
    clearTimeout(state.timer);
    clearTimeout(state.rewindTimer);
    state.rewindTimer = setTimeout(() => {
      try {
        this.consumer.seek({ topic, partition, offset });
      } catch (err) {
        // Not running: a restart resumes from the committed offset, which is at or before `offset`.
        this.options.onError?.(err, 'rewind');
      }
    }, RETRY_FLUSH_MS);
    state.rewindTimer.unref?.();
  }

  private reportBuffered(): void {
    this.options.onBuffered?.(this.bufferedMessages());
  }

  /** Schedules the time-limit flush of a partly filled batch. */
  private armTimer(state: PartitionState): void {
    clearTimeout(state.timer);
    if (state.buffer.isEmpty || state.buffer.planned || state.rewindTo !== undefined) return;
    const wait = Math.max(0, state.buffer.startedAt + this.options.limits.maxWaitMs - Date.now());
    state.timer = setTimeout(() => {
      state.queue
        .run(async () => {
          const trigger = state.buffer.dueBy(Date.now());
          if (trigger) await this.dispatch(state, trigger, noHeartbeat);
          this.armTimer(state);
        })
        .catch((err) => this.options.onError?.(err, 'timed flush'));
    }, wait);
    state.timer.unref?.();
  }

  private stateFor(topic: string, partition: number): PartitionState {
    const id = `${topic}:${partition}`;
    let state = this.partitions.get(id);
    if (!state) {
      state = { buffer: new PartitionBuffer(topic, partition, this.options.limits), queue: new SerialQueue(), landings: [], tail: Promise.resolve() };
      this.partitions.set(id, state);
    }
    return state;
  }
}

const noHeartbeat = async (): Promise<void> => undefined;

/** Shared by every message without headers (most producers send none): one object fewer per message. */
const NO_HEADERS: ConsumedMessage['headers'] = Object.freeze({});

export function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  let headers = NO_HEADERS;
  for (const name in m.headers) {
    if (headers === NO_HEADERS) headers = {};
    const value = m.headers[name];
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers, timestamp: m.timestamp };
}
