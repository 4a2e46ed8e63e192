import { FlowsentryError } from '@flowsentry/contracts';
import { FeatureMatrix, featureMatrix, FeaturePipeline, FeatureSpec, FlowRecord } from '@flowsentry/ml';
import { ObjectRef, SilverDatasetRef } from '@flowsentry/storage';
import { AlgorithmSettings, AnomalyDetector, fitDetector } from './anomaly-detector';
import { modelColumns, modelRecipes } from './model-features';
import { readTrainingRows } from './silver-training-rows';

export interface TrainingSettings {
  algorithm: AlgorithmSettings;
  seed: number;
  /** Share of training rows above the threshold: the offset is this quantile of their score_samples, whatever the algorithm. */
  alertRate: number;
  excludeLabelled: boolean;
}

export interface FittedModel {
  detector: AnomalyDetector;
  spec: FeatureSpec;
  featureNames: string[];
  /** Rows of the window the model was trained on (a LOF or SVM keeps a seeded subsample of them; its threshold counts them all). */
  rows: number;
  /** Rows left out as labelled attacks. */
  excluded: number;
}

/** Nothing to fit once labelled rows are left out: retrying reads the same rows. */
export class TooFewRowsError extends FlowsentryError {
  constructor(rows: number) {
    super('too-few-training-rows', `${rows} training row(s) remain; a model needs at least 2`, false);
  }
}

/**
 * The model of one set of training datasets: read the model's SILVER columns (verified by hash),
 * fit the feature recipes, fit the configured detector. A pure function of the datasets' bytes, their
 * order, the SILVER feature version and the settings: no clock, no randomness but the seed, so
 * the same inputs give the same model, and its export makes the same bytes of it.
 */
export async function trainModel(
  objects: { get(ref: ObjectRef): Promise<Buffer> },
  training: readonly SilverDatasetRef[],
  featureVersion: string,
  settings: TrainingSettings,
  heartbeat?: () => Promise<void>,
): Promise<FittedModel> {
  const { records, excluded } = await readTrainingRows(objects, training, modelColumns(featureVersion), settings.excludeLabelled, heartbeat);
  if (records.length < 2) throw new TooFewRowsError(records.length);
  const pipeline = FeaturePipeline.fit(fitSample(records), modelRecipes(featureVersion));
  await heartbeat?.();
  const matrix = await transformInChunks(pipeline, records, heartbeat);
  const detector = await fitDetector(matrix, pipeline.spec, settings.algorithm, settings, heartbeat);
  return { detector, spec: pipeline.spec, featureNames: [...pipeline.featureNames], rows: records.length, excluded };
}

/**
 * Rows the feature spec is fitted on, at most. Fitting learns medians (fill values) and the
 * conn_state vocabulary: on 100,000 evenly spaced rows a median is within a fraction of a
 * percentile of the full window's, and a state too rare to appear among them is one the model
 * should find rare anyway (it gets the "unknown" code). Fitting all of a million-row window took
 * ~16 s in one synchronous call; the forest's threshold is still fitted on every training row.
 */
export const FIT_SAMPLE_ROWS = 100_000;

/** Every k-th record, so the sample spans the whole window in time and depends only on the rows. */
export function fitSample<T>(records: readonly T[], limit = FIT_SAMPLE_ROWS): readonly T[] {
  if (records.length <= limit) return records;
  const step = records.length / limit;
  return Array.from({ length: limit }, (_, i) => records[Math.floor(i * step)]!);
}

/** Rows encoded between two heartbeats: about a second of work, so a million-row window never starves the group heartbeat. */
const TRANSFORM_CHUNK_ROWS = 100_000;

/**
 * pipeline.transform, a chunk at a time with a heartbeat between chunks. Fitting and growing the
 * forest are single synchronous calls (libs/ml); at a million rows the longer, growing the forest
 * and scoring every training row for its threshold, blocks for ~11 s, inside the consumer's 30 s
 * session timeout. LOF and SVM fits are bounded by their kept rows (anomaly-detector.ts).
 */
async function transformInChunks(pipeline: FeaturePipeline, records: readonly FlowRecord[], heartbeat?: () => Promise<void>): Promise<FeatureMatrix> {
  const out = new Float32Array(records.length * pipeline.width);
  for (let first = 0; first < records.length; first += TRANSFORM_CHUNK_ROWS) {
    pipeline.transformInto(records.slice(first, first + TRANSFORM_CHUNK_ROWS), out, first);
    await heartbeat?.();
  }
  return featureMatrix(out, pipeline.width);
}
