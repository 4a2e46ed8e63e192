import { z } from 'zod';
import { cloudEvent } from '../envelope';
import { NetworkEventV1 } from '../network-event';

export const ANOMALY_DETECTED_TYPE = 'io.flowsentry.anomalies.detected.v1';

/** What a SOC/SIEM consumer receives: the event itself plus why the model flagged it. */
export const AnomalyDetectedData = z.object({
  event: NetworkEventV1,
  datasetId: z.string().min(1),
  score: z.number(),
  threshold: z.number(),
  modelName: z.string().min(1),
  modelVersion: z.string().min(1),
  reasons: z.array(z.object({ feature: z.string(), value: z.number(), contribution: z.number() })).max(10),
});
export type AnomalyDetectedData = z.infer<typeof AnomalyDetectedData>;
export const AnomalyDetectedEvent = cloudEvent(ANOMALY_DETECTED_TYPE, AnomalyDetectedData);
