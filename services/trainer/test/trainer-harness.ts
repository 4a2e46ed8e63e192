import { rawDatasetId } from '@flowsentry/contracts';
import { FEATURE_VERSION, silverDataset, SilverSpec } from './silver-fixtures';
import { memoryState, MemoryObjects, silentLog } from './trainer-fakes';
import { CatalogDataset } from '../src/dataset-catalog';
import { DriftDetectedHandler } from '../src/drift-detected.handler';
import { ModelTrainer } from '../src/model-trainer';
import { SilverReadyHandler } from '../src/silver-ready.handler';
import { TrainingTrigger, TriggerSettings } from '../src/training-trigger';

export const MODEL = 'network-flows';
export const HOUR = 3_600_000;
export const T0 = Date.parse('2026-11-02T00:00:00Z');

export const triggerSettings: TriggerSettings = { minRows: 2000, retrainMinRows: 1500, scheduleMs: 0, streamIdleMs: 0, windowRows: 10_000, windowMs: 0, holdoutFraction: 0.25 };

/**
 * `count` hourly datasets of `rows` rows from hour `firstHour` on, written to `objects`, named like
 * transform's datasets of source partition `partition` (one batch per hour).
 */
export async function hourlyDatasets(objects: MemoryObjects, count: number, firstHour = 0, spec: Partial<SilverSpec> = {}, rows = 500, partition = 0): Promise<CatalogDataset[]> {
  const out: CatalogDataset[] = [];
  for (let i = firstHour; i < firstHour + count; i++) {
    const version = spec.featureVersion ?? FEATURE_VERSION;
    const id = `${rawDatasetId('it.network.events', partition, String(i * rows), String((i + 1) * rows - 1))}.${version}`;
    out.push(await silverDataset((ref, bytes) => objects.put(ref, bytes), id, { rows, seed: 1000 + i + 100 * partition, startMs: T0 + i * HOUR, spanMs: HOUR - 1, ...spec }));
  }
  return out;
}

/** Both steps of the trainer over in-memory state and a copy of `silver` (so MODELS start empty). */
export function trainerSteps(silver: MemoryObjects, settings: Partial<TriggerSettings> = {}) {
  const objects = silver.clone();
  const state = memoryState();
  const trigger = new TrainingTrigger({ ...triggerSettings, ...settings });
  const trainer = new ModelTrainer({ objects, models: state.models, log: silentLog }, { modelName: MODEL, training: { algorithm: { name: 'isolation-forest', trees: 20, maxSamples: 128 }, seed: 42, alertRate: 0.01, excludeLabelled: false } });
  return { objects, state, silverReady: new SilverReadyHandler(state, trigger, trainer, MODEL), driftDetected: new DriftDetectedHandler(state, trigger, trainer, MODEL) };
}
