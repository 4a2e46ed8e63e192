import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { ArtifactRef, objectKey, sha256Hex } from './common';

export const MODEL_TRAINED_TYPE = 'io.flowsentry.model.trained.v1';

export const ModelTrainedData = z.object({
  modelName: z.string().min(1),
  version: z.string().min(1),
  onnxKey: objectKey,
  sha256: sha256Hex,
  metadataKey: objectKey,
  trainingDatasets: z.array(ArtifactRef).min(1),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  seed: z.number().int(),
  trainMetrics: z.record(z.string(), z.number()),
  trigger: z.enum(['silver.ready', 'drift.detected', 'manual']),
});
export type ModelTrainedData = z.infer<typeof ModelTrainedData>;
export const ModelTrainedEvent = cloudEvent(MODEL_TRAINED_TYPE, ModelTrainedData);
