import { PoisonMessageError } from '@flowsentry/contracts';
import { AnomalyAlgorithm, FeatureSpec, readOnnxMetadata } from '@flowsentry/ml';
import { ObjectStore, readModelObject, sha256Hex, SilverDatasetRef } from '@flowsentry/storage';

/** A champion as champion.changed and the registry name it. */
export interface ChampionRef {
  modelName: string;
  version: string;
  onnxKey: string;
  sha256: string;
  metadataKey: string;
}

/** What the monitor needs of a champion: its bytes, how it reads SILVER, where it alerts, what it was trained on. */
export interface ChampionModel {
  ref: ChampionRef;
  onnx: Buffer;
  /** From the ONNX metadata: which engine and explainer fit it. */
  algorithm: AnomalyAlgorithm;
  spec: FeatureSpec;
  /** Model column names in matrix order (the names reasons carry). */
  featureNames: readonly string[];
  /** Anomaly-score threshold: a flow alerts when −score_samples exceeds it. */
  threshold: number;
  featuresSchemaVersion: string | null;
  /** The SILVER datasets it was fitted on (model.json `training.datasets`): what its baseline describes. */
  training: ReadonlyArray<SilverDatasetRef & { rows: number }>;
  /** It was fitted without the labelled attack rows of those datasets (model.json `training.excludeLabelled`). */
  excludeLabelled: boolean;
}

/**
 * Reads model.onnx (checked against the sha256 that names it) and model.json from MODELS. The
 * feature spec and names come from the ONNX metadata, which travels inside the model the scorer
 * runs; the threshold and the training datasets from model.json (services/trainer model-package.ts).
 * Everything that can be wrong with these write-once objects is wrong for good, hence
 * PoisonMessageError (code: missing-object, hash-mismatch, corrupt-model, bad-object-ref).
 */
export async function loadChampionModel(objects: Pick<ObjectStore, 'get'>, ref: ChampionRef): Promise<ChampionModel> {
  const onnx = await readModelObject(objects, ref.onnxKey);
  const actual = sha256Hex(onnx);
  if (actual !== ref.sha256) throw new PoisonMessageError('hash-mismatch', `${ref.onnxKey} has sha256 ${actual}, it is named with ${ref.sha256}`);
  let metadata;
  try {
    metadata = readOnnxMetadata(onnx);
  } catch (err) {
    throw new PoisonMessageError('corrupt-model', `${ref.onnxKey} is not a readable flowsentry ONNX model: ${(err as Error).message}`, { cause: err });
  }
  let card: ModelCard;
  try {
    card = JSON.parse((await readModelObject(objects, ref.metadataKey)).toString('utf8')) as ModelCard;
  } catch (err) {
    if (err instanceof PoisonMessageError) throw err;
    throw new PoisonMessageError('corrupt-model', `${ref.metadataKey} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const training = card.training?.datasets;
  if (!Array.isArray(training) || training.length === 0 || !training.every(isDatasetRef)) {
    throw new PoisonMessageError('corrupt-model', `${ref.metadataKey} names no training datasets (training.datasets), so the champion has no baseline to build`);
  }
  const threshold = typeof card.threshold === 'number' && Number.isFinite(card.threshold) ? card.threshold : -metadata.offset;
  return {
    ref,
    onnx,
    algorithm: metadata.algorithm,
    spec: metadata.featureSpec,
    featureNames: metadata.featureNames,
    threshold,
    featuresSchemaVersion: typeof card.featuresSchemaVersion === 'string' ? card.featuresSchemaVersion : null,
    training: training.map((d) => ({ key: d.key, sha256: d.sha256, rows: d.rows })),
    excludeLabelled: card.training?.excludeLabelled === true,
  };
}

/** The fields of model.json the monitor reads. */
interface ModelCard {
  threshold?: unknown;
  featuresSchemaVersion?: unknown;
  training?: { datasets?: unknown; excludeLabelled?: unknown };
}

function isDatasetRef(d: unknown): d is SilverDatasetRef & { rows: number } {
  const r = d as Record<string, unknown>;
  return typeof r === 'object' && r !== null && typeof r.key === 'string' && typeof r.sha256 === 'string' && typeof r.rows === 'number';
}
