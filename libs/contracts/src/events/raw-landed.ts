import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { OffsetRange, objectKey, sha256Hex } from './common';

export const RAW_LANDED_TYPE = 'io.flowsentry.raw.landed.v1';

export const RawLandedData = z.object({
  datasetId: z.string().min(1),
  objectKey,
  sha256: sha256Hex,
  bytes: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  source: OffsetRange,
  minEventTime: z.iso.datetime().optional(),
  maxEventTime: z.iso.datetime().optional(),
});
export type RawLandedData = z.infer<typeof RawLandedData>;
export const RawLandedEvent = cloudEvent(RAW_LANDED_TYPE, RawLandedData);

/**
 * `raw.landed` is keyed by its source partition (brief §3), so every batch of one source
 * partition goes to the same `raw.landed` partition, in offset order: one transform instance
 * sees one source's batches in order, which its per-source windows need, and transform scales
 * out by partitions.
 */
export function rawLandedKey(sourceTopic: string, sourcePartition: number): string {
  return `${sourceTopic}/${sourcePartition}`;
}
