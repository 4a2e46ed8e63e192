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
