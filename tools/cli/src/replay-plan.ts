import { PartitionOffsets } from '@flowsentry/messaging';

export type ReplayFrom = { mode: 'earliest' } | { mode: 'offset'; offset: string } | { mode: 'time'; time: Date };

/**
 * Where each partition restarts. An offset beyond a partition's range is clamped into it, so
 * "replay from 1000" on a partition holding 0..400 replays nothing rather than failing.
 */
export function planReplay(from: ReplayFrom, offsets: PartitionOffsets[], atTime?: Array<{ partition: number; offset: string }>, only?: number): Array<{ partition: number; offset: string }> {
  return offsets
    .filter((p) => only === undefined || p.partition === only)
    .map((p) => {
      let target: bigint;
      if (from.mode === 'earliest') target = BigInt(p.low);
      else if (from.mode === 'offset') target = BigInt(from.offset);
      else target = BigInt(atTime?.find((t) => t.partition === p.partition)?.offset ?? p.high);
      // Kafka answers -1 for "no message at or after that time": nothing to replay, start at the end.
      if (target < 0n) target = BigInt(p.high);
      const low = BigInt(p.low);
      const high = BigInt(p.high);
      return { partition: p.partition, offset: (target < low ? low : target > high ? high : target).toString() };
    });
}
