import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { objectKey } from './common';

export const DRIFT_DETECTED_TYPE = 'io.flowsentry.drift.detected.v1';

export const DriftSeverity = z.enum(['low', 'medium', 'high']);

export const DriftDetectedData = z.object({
  modelName: z.string().min(1),
  championVersion: z.string().min(1),
  datasetId: z.string().min(1),
  reportKey: objectKey,
  severity: DriftSeverity,
  driftedFeatures: z.array(z.object({ feature: z.string(), test: z.string(), statistic: z.number(), threshold: z.number() })),
  reason: z.string().min(1),
  /**
   * Event time of the drifted traffic: the earliest event of the batch that confirmed the drift.
   * The trainer's new regime starts here. Optional for producers that do not know it; the trainer
   * then asks its catalog for the dataset's first event time.
   */
  regimeSince: z.iso.datetime().optional(),
});
export type DriftDetectedData = z.infer<typeof DriftDetectedData>;
export const DriftDetectedEvent = cloudEvent(DRIFT_DETECTED_TYPE, DriftDetectedData);
