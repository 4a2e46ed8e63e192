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
} as const;

export const ONNX_MODEL_FORMAT = 'flowsentry.isolation-forest.onnx/1';

export interface OnnxModelMetadata {
  readonly modelName: string;
  readonly modelVersion: string;
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
    throw new OnnxMetadataError(`not a flowsentry isolation forest (format '${props[ONNX_METADATA_KEYS.format] ?? 'missing'}')`);
  }
  const json = (key: string): unknown => JSON.parse(props[key] ?? 'null');
  return {
    modelName: props[ONNX_METADATA_KEYS.modelName],
    modelVersion: props[ONNX_METADATA_KEYS.modelVersion],
    featureNames: json(ONNX_METADATA_KEYS.featureNames) as string[],
    featureSpec: json(ONNX_METADATA_KEYS.featureSpec) as FeatureSpec,
    params: json(ONNX_METADATA_KEYS.params) as Record<string, unknown>,
    offset: Number(props[ONNX_METADATA_KEYS.offset]),
    lineage: json(ONNX_METADATA_KEYS.lineage),
    props,
  };
}
