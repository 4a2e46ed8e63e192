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

/** The source partition a key made by rawLandedKey names; undefined for a key of another shape. */
export function sourcePartitionOfKey(key: string): number | undefined {
  const match = /^.+\/(\d+)$/.exec(key);
  return match ? Number(match[1]) : undefined;
}

/**
 * A RAW batch is named after the Kafka coordinates it holds, `<topic>-p<partition>-<first>-<last>`,
 * so a replay reproduces the name; datasets derived from it append `.<suffix>` (SILVER: the
 * feature version).
 */
export function rawDatasetId(sourceTopic: string, sourcePartition: number, firstOffset: string, lastOffset: string): string {
  return `${sourceTopic}-p${sourcePartition}-${firstOffset}-${lastOffset}`;
}

// Greedy on the topic, so that a topic name holding "-p<digits>" still parses from the right.
const RAW_DATASET_ID = /^(.+)-p(\d+)-\d+-\d+(?:\.|$)/;

/**
 * The source stream (`<topic>/<partition>`, as rawLandedKey names it) of a dataset id built by
 * rawDatasetId, with or without a derived suffix; undefined for an id of another shape.
 */
export function sourceStreamOf(datasetId: string): string | undefined {
  const match = RAW_DATASET_ID.exec(datasetId);
  return match ? rawLandedKey(match[1]!, Number(match[2])) : undefined;
}
