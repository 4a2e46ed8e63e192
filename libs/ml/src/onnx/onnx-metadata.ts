import { onnx } from 'onnx-proto';
import { FeatureSpec } from '../features/feature-spec';

/** metadata_props keys written by exportOnnx; services read the feature spec back from the model itself. */
export const ONNX_METADATA_KEYS = {
  format: 'flowsentry.format',
  modelName: 'flowsentry.model_name',
  modelVersion: 'flowsentry.model_version',
  featureNames: 'flowsentry.feature_names',
  featureSpec: 'flowsentry.feature_spec',
  params: 'flowsentry.params',
  offset: 'flowsentry.offset',
  lineage: 'flowsentry.training_lineage',
  algorithm: 'flowsentry.algorithm',
} as const;

/**
 * The graph contract (input `features` [N, F] float; outputs score_samples, decision_function, label)
 * and these metadata keys. Its name predates the other algorithms and is kept so stored models stay
 * readable; `flowsentry.algorithm` says which model a graph holds.
 */
export const ONNX_MODEL_FORMAT = 'flowsentry.isolation-forest.onnx/1';

/** Every algorithm exported in ONNX_MODEL_FORMAT, with sklearn's score_samples / decision_function semantics. */
export const ANOMALY_ALGORITHMS = ['isolation-forest', 'local-outlier-factor', 'one-class-svm'] as const;
export type AnomalyAlgorithm = (typeof ANOMALY_ALGORITHMS)[number];

export interface OnnxModelMetadata {
  readonly modelName: string;
  readonly modelVersion: string;
  /** Models exported before the key existed are isolation forests. */
  readonly algorithm: AnomalyAlgorithm;
  readonly featureNames: readonly string[];
  readonly featureSpec: FeatureSpec;
  readonly params: Record<string, unknown>;
  readonly offset: number;
  readonly lineage: unknown;
  /** Every metadata_props entry, including keys set by the caller. */
  readonly props: Readonly<Record<string, string>>;
}

export class OnnxMetadataError extends Error {
  override readonly name = 'OnnxMetadataError';
}

/** Reads the flowsentry metadata back from exported ONNX bytes (no onnxruntime session needed). */
export function readOnnxMetadata(bytes: Uint8Array): OnnxModelMetadata {
  return onnxMetadataOf(onnx.ModelProto.decode(bytes));
}

/** The same, for callers that decode the model for more than its metadata. */
export function onnxMetadataOf(model: onnx.IModelProto): OnnxModelMetadata {
  const props: Record<string, string> = {};
  for (const entry of model.metadataProps ?? []) props[entry.key ?? ''] = entry.value ?? '';
  if (props[ONNX_METADATA_KEYS.format] !== ONNX_MODEL_FORMAT) {
    throw new OnnxMetadataError(`not a flowsentry anomaly model (format '${props[ONNX_METADATA_KEYS.format] ?? 'missing'}')`);
  }
  const algorithm = (props[ONNX_METADATA_KEYS.algorithm] ?? 'isolation-forest') as AnomalyAlgorithm;
  if (!ANOMALY_ALGORITHMS.includes(algorithm)) throw new OnnxMetadataError(`unknown algorithm '${algorithm}'`);
  const json = (key: string): unknown => JSON.parse(props[key] ?? 'null');
  return {
    modelName: props[ONNX_METADATA_KEYS.modelName],
    modelVersion: props[ONNX_METADATA_KEYS.modelVersion],
    algorithm,
    featureNames: json(ONNX_METADATA_KEYS.featureNames) as string[],
    featureSpec: json(ONNX_METADATA_KEYS.featureSpec) as FeatureSpec,
    params: json(ONNX_METADATA_KEYS.params) as Record<string, unknown>,
    offset: Number(props[ONNX_METADATA_KEYS.offset]),
    lineage: json(ONNX_METADATA_KEYS.lineage),
    props,
  };
}
