import { ConsumedMessage } from './consumed-message';

export interface BatchLimits {
  maxCount: number;
  maxBytes: number;
  maxWaitMs: number;
}

/** A range some earlier run already decided on; the batch must end exactly where it ended. */
export interface PlannedRange {
  firstOffset: string;
  lastOffset: string;
}

export interface MicroBatch {
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
  bytes: number;
  planned?: PlannedRange;
  trigger: 'count' | 'bytes' | 'time' | 'planned' | 'drain';
}

export interface MicroBatchTools {
  heartbeat(): Promise<void>;
  /**
   * Runs `step` once every earlier batch of the partition has landed and been committed. Batches
   * overlap up to there (reading, validating, writing their own objects); what must follow offset
   * order (recording, emitting) goes in here. Rejects with PreviousBatchFailed if one of them failed.
   */
  inOrder<T>(step: () => Promise<T>): Promise<T>;
}

/** An earlier batch of the partition failed, so this one may not be recorded or committed: both are read again. */
export class PreviousBatchFailed extends Error {
  constructor() {
    super('an earlier batch of this partition failed to land; this one is read again with it');
    this.name = 'PreviousBatchFailed';
  }
}

/**
 * Thrown by a handler that can only land the batch from an earlier offset (a replay that starts
 * inside a recorded, unfinished batch): the consumer rewinds the partition there and reads again.
 */
export class RewindRequired extends Error {
  constructor(readonly offset: string) {
    super(`the batch must be read again from offset ${offset}`);
    this.name = 'RewindRequired';
  }
}
