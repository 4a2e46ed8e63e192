import { z } from 'zod';
import { Topics } from './topics';
import { RAW_LANDED_TYPE, RawLandedEvent } from './events/raw-landed';
import { SILVER_READY_TYPE, SilverReadyEvent } from './events/silver-ready';
import { MODEL_TRAINED_TYPE, ModelTrainedEvent } from './events/model-trained';
import { EVAL_DONE_TYPE, EvalDoneEvent } from './events/eval-done';
import { DRIFT_DETECTED_TYPE, DriftDetectedEvent } from './events/drift-detected';
import { CHAMPION_CHANGED_TYPE, ChampionChangedEvent } from './events/champion-changed';
import { ANOMALY_DETECTED_TYPE, AnomalyDetectedEvent } from './events/anomaly-detected';

/** One entry per pipeline topic: the envelope type and schema its values must match. */
export const PipelineEvents = {
  [Topics.rawLanded]: { type: RAW_LANDED_TYPE, schema: RawLandedEvent },
  [Topics.silverReady]: { type: SILVER_READY_TYPE, schema: SilverReadyEvent },
  [Topics.modelTrained]: { type: MODEL_TRAINED_TYPE, schema: ModelTrainedEvent },
  [Topics.evalDone]: { type: EVAL_DONE_TYPE, schema: EvalDoneEvent },
  [Topics.driftDetected]: { type: DRIFT_DETECTED_TYPE, schema: DriftDetectedEvent },
  [Topics.championChanged]: { type: CHAMPION_CHANGED_TYPE, schema: ChampionChangedEvent },
  [Topics.anomaliesDetected]: { type: ANOMALY_DETECTED_TYPE, schema: AnomalyDetectedEvent },
} as const;

export type PipelineTopic = keyof typeof PipelineEvents;
export type PipelineEventOf<T extends PipelineTopic> = z.infer<(typeof PipelineEvents)[T]['schema']>;
export type PipelineDataOf<T extends PipelineTopic> = PipelineEventOf<T>['data'];
