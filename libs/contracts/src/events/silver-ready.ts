import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { ArtifactRef, objectKey, sha256Hex } from './common';

export const SILVER_READY_TYPE = 'io.flowsentry.silver.ready.v1';

export const QualitySummary = z.object({
  inputRows: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  dropped: z.number().int().nonnegative(),
  nullRatio: z.record(z.string(), z.number().min(0).max(1)),
});

export const SilverReadyData = z.object({
  datasetId: z.string().min(1),
  silverKey: objectKey,
  sha256: sha256Hex,
  rawKeys: z.array(ArtifactRef).min(1),
  rows: z.number().int().nonnegative(),
  featuresSchemaVersion: z.string().min(1),
  quality: QualitySummary,
  qualityKey: objectKey.optional(),
  /** Event-time range of the rows: the trainer orders datasets by it to pick its window and split off the held-out part. */
  minEventTime: z.iso.datetime().optional(),
  maxEventTime: z.iso.datetime().optional(),
});
export type SilverReadyData = z.infer<typeof SilverReadyData>;
export const SilverReadyEvent = cloudEvent(SILVER_READY_TYPE, SilverReadyData);
