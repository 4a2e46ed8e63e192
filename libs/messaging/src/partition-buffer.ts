import { ConsumedMessage, messageSize } from './consumed-message';
import { BatchLimits, MicroBatch, PlannedRange } from './micro-batch';
import { compareOffsets } from './offsets';

/**
 * Accumulates one partition's messages until a batch is due. Pure state, no I/O: the
 * consumer decides when to flush, this decides whether it is time.
 */
export class PartitionBuffer {
  messages: ConsumedMessage[] = [];
  bytes = 0;
  startedAt = 0;
  planned?: PlannedRange;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly limits: BatchLimits,
  ) {}

  get isEmpty(): boolean {
    return this.messages.length === 0;
  }

  get lastOffset(): bigint | undefined {
    const last = this.messages[this.messages.length - 1];
    return last ? BigInt(last.offset) : undefined;
  }

  /**
   * True when the message does not follow what we hold: the client re-fetched from the
   * committed offset after a rebalance or restart, so what we buffered will arrive again.
   */
  isRewind(message: ConsumedMessage): boolean {
    const last = this.messages[this.messages.length - 1];
    return last !== undefined && compareOffsets(message.offset, last.offset) <= 0;
  }

  add(message: ConsumedMessage, now: number): void {
    if (this.messages.length === 0) this.startedAt = now;
    this.messages.push(message);
    this.bytes += messageSize(message);
  }

  /** Which limit, if any, says the batch must go now. A planned batch ignores the limits. */
  dueBy(now: number): MicroBatch['trigger'] | undefined {
    if (this.isEmpty) return undefined;
    if (this.planned) return this.lastOffset! >= BigInt(this.planned.lastOffset) ? 'planned' : undefined;
    if (this.messages.length >= this.limits.maxCount) return 'count';
    if (this.bytes >= this.limits.maxBytes) return 'bytes';
    if (now - this.startedAt >= this.limits.maxWaitMs) return 'time';
    return undefined;
  }

  take(trigger: MicroBatch['trigger']): MicroBatch {
    const batch: MicroBatch = { topic: this.topic, partition: this.partition, messages: this.messages, bytes: this.bytes, planned: this.planned, trigger };
    this.clear();
    return batch;
  }

  clear(): void {
    this.messages = [];
    this.bytes = 0;
    this.startedAt = 0;
    this.planned = undefined;
  }
}
