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
  /** The SILVER objects the model was fitted on. */
  trainingDatasets: z.array(ArtifactRef).min(1),
  /**
   * The newest SILVER objects of the training window, kept out of training (time-based split): the
   * evaluator judges the model, and the champion beside it, on these.
   */
  holdoutDatasets: z.array(ArtifactRef).min(1),
  /** The SILVER feature version the model reads (the columns its feature spec names). */
  featuresSchemaVersion: z.string().min(1),
  /** Alert threshold on the anomaly score (−score_samples): a flow scoring above it is an alert. */
  threshold: z.number(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  seed: z.number().int(),
  trainMetrics: z.record(z.string(), z.number()),
  trigger: z.enum(['silver.ready', 'drift.detected', 'schedule', 'manual']),
});
export type ModelTrainedData = z.infer<typeof ModelTrainedData>;
export const ModelTrainedEvent = cloudEvent(MODEL_TRAINED_TYPE, ModelTrainedData);
