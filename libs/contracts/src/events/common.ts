import { z } from 'zod';

export const sha256Hex = z.string().regex(/^[a-f0-9]{64}$/, 'must be a lowercase hex sha256');
export const objectKey = z.string().min(1).max(1024);

/** An artifact named by key and content hash: the unit of lineage. */
export const ArtifactRef = z.object({ key: objectKey, sha256: sha256Hex });
export type ArtifactRef = z.infer<typeof ArtifactRef>;

export const OffsetRange = z.object({
  topic: z.string().min(1),
  partition: z.number().int().nonnegative(),
  firstOffset: z.string().regex(/^\d+$/),
  lastOffset: z.string().regex(/^\d+$/),
});
export type OffsetRange = z.infer<typeof OffsetRange>;
