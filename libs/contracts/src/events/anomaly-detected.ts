import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { NetworkEventV1 } from '../network-event';

export const ANOMALY_DETECTED_TYPE = 'io.flowsentry.anomalies.detected.v1';

/** What a SOC/SIEM consumer receives: the event itself plus why the model flagged it. */
export const AnomalyDetectedData = z.object({
  event: NetworkEventV1,
  datasetId: z.string().min(1),
  /** The SILVER object the flow was scored from. */
  silverKey: z.string().min(1).optional(),
  score: z.number(),
  threshold: z.number(),
  modelName: z.string().min(1),
  modelVersion: z.string().min(1),
  /**
   * Why: the features that isolated this flow, most important first, with the flow's value and the
   * range the champion's training data typically held (its 5th to 95th percentile, when known).
   */
  reasons: z
    .array(
      z.object({
        feature: z.string(),
        value: z.number().nullable(),
        contribution: z.number(),
        typicalLow: z.number().optional(),
        typicalHigh: z.number().optional(),
      }),
    )
    .max(10),
});
export type AnomalyDetectedData = z.infer<typeof AnomalyDetectedData>;
export const AnomalyDetectedEvent = cloudEvent(ANOMALY_DETECTED_TYPE, AnomalyDetectedData);
