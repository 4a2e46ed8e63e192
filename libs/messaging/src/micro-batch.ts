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
