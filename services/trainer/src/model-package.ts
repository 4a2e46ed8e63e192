import { formatRef, modelRefs, sha256Hex } from '@flowsentry/storage';
import { CatalogDataset } from './dataset-catalog';
import { FittedModel, TrainingSettings } from './model-training';
import { TrainingTriggerName } from './training-trigger';

export const MODEL_CARD_FORMAT = 'flowsentry.model.json/1';

/** Everything about a model that is not the fitted detector itself: who it is and what it came from. */
export interface ModelIdentity {
  modelName: string;
  version: string;
  featureVersion: string;
  training: readonly CatalogDataset[];
  holdout: readonly CatalogDataset[];
  settings: TrainingSettings;
  /** The event time the decision was taken at (the data's end), never a clock: the same data names the same instant. */
  trainedAt: string;
  /** What decided it, and at which dataset (TrainingPlan.decidedAt). */
  trigger: { type: TrainingTriggerName; datasetId: string; regimeSince?: number };
}

export interface ModelPackage {
  onnx: Buffer;
  onnxSha256: string;
  card: Buffer;
  /** Alert threshold on the anomaly score (−score_samples): −offset. */
  threshold: number;
}

/**
 * model.onnx and model.json of a trained model, whatever its algorithm. Neither holds a wall-clock time or a duration
 * (measured durations go to model.trained's trainMetrics and the registry's metrics only), so the
 * same datasets, seed, settings and version (and for model.json the same triggering event) give
 * byte-identical objects: what write-once storage and a retrain's reproducibility both rely on.
 */
export function packageModel(trained: FittedModel, id: ModelIdentity): ModelPackage {
  const refs = modelRefs(id.modelName, id.version);
  const datasets = (list: readonly CatalogDataset[]) => list.map((d) => ({ key: d.silverKey, sha256: d.sha256, rows: d.rows }));
  const onnx = Buffer.from(
    trained.detector.exportOnnx(trained.spec, {
      modelName: id.modelName,
      modelVersion: id.version,
      lineage: { featuresSchemaVersion: id.featureVersion, excludeLabelled: id.settings.excludeLabelled, trainingDatasets: datasets(id.training), holdoutDatasets: datasets(id.holdout) },
    }),
  );
  const onnxSha256 = sha256Hex(onnx);
  const { detector } = trained;
  const threshold = -detector.offset;
  const span = (list: readonly CatalogDataset[]) => ({
    from: new Date(Math.min(...list.map((d) => d.minEventTime))).toISOString(),
    to: new Date(Math.max(...list.map((d) => d.maxEventTime))).toISOString(),
  });
  const card = {
    format: MODEL_CARD_FORMAT,
    modelName: id.modelName,
    version: id.version,
    algorithm: detector.algorithm,
    onnx: { key: formatRef(refs.onnx), sha256: onnxSha256 },
    params: detector.params,
    seed: id.settings.seed,
    alertRate: id.settings.alertRate,
    // A flow alerts when its anomaly score −score_samples exceeds this (ONNX decision_function < 0).
    threshold,
    offset: detector.offset,
    featuresSchemaVersion: id.featureVersion,
    featureNames: trained.featureNames,
    featureSpec: trained.spec,
    training: {
      rows: trained.rows,
      excludeLabelled: id.settings.excludeLabelled,
      excludedRows: trained.excluded,
      window: span(id.training),
      datasets: datasets(id.training),
    },
    holdout: { rows: id.holdout.reduce((n, d) => n + d.rows, 0), window: span(id.holdout), datasets: datasets(id.holdout) },
    trainedAt: id.trainedAt,
    trigger: { type: id.trigger.type, datasetId: id.trigger.datasetId, ...(id.trigger.regimeSince !== undefined ? { regimeSince: new Date(id.trigger.regimeSince).toISOString() } : {}) },
  };
  return { onnx, onnxSha256, card: Buffer.from(`${JSON.stringify(card, null, 2)}\n`), threshold };
}
