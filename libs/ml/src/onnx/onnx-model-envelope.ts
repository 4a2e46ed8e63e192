import { onnx } from 'onnx-proto';
import { FeatureSpec, featureNames } from '../features/feature-spec';
import { canonicalJson } from './canonical-json';
import { AnomalyAlgorithm, ONNX_METADATA_KEYS, ONNX_MODEL_FORMAT } from './onnx-metadata';

/** IR 8 / opset 17 / ai.onnx.ml 3: the newest the bundled onnx-proto (ONNX 1.10) describes, all loadable by onnxruntime ≥ 1.10. */
const IR_VERSION = 8;
export const ONNX_OPSET = 17;

export interface OnnxExportMetadata {
  readonly modelName: string;
  readonly modelVersion: string;
  /** Training datasets, hashes, run ids…: any JSON, written with sorted keys. */
  readonly lineage?: unknown;
  /** Extra metadata_props entries (e.g. git commit). Must not reuse the flowsentry.* keys. */
  readonly extra?: Readonly<Record<string, string>>;
}

export interface OnnxModelContent {
  readonly algorithm: AnomalyAlgorithm;
  readonly nFeatures: number;
  readonly params: unknown;
  readonly offset: number;
  readonly graph: onnx.IGraphProto;
  readonly opsetImport: onnx.IOperatorSetIdProto[];
  readonly docString: string;
}

/**
 * Wraps a scoring graph in the model every flowsentry consumer reads: the same metadata_props for every
 * algorithm (format, names, feature spec, params, offset, lineage, algorithm), sorted so the same model,
 * spec and metadata always give the same bytes.
 */
export function onnxModelBytes(content: OnnxModelContent, spec: FeatureSpec, metadata: OnnxExportMetadata): Uint8Array {
  const names = featureNames(spec);
  if (names.length !== content.nFeatures) {
    throw new RangeError(`feature spec has ${names.length} columns, the model was trained on ${content.nFeatures}`);
  }
  const props: Record<string, string> = {
    [ONNX_METADATA_KEYS.format]: ONNX_MODEL_FORMAT,
    [ONNX_METADATA_KEYS.algorithm]: content.algorithm,
    [ONNX_METADATA_KEYS.modelName]: metadata.modelName,
    [ONNX_METADATA_KEYS.modelVersion]: metadata.modelVersion,
    [ONNX_METADATA_KEYS.featureNames]: JSON.stringify(names),
    [ONNX_METADATA_KEYS.featureSpec]: canonicalJson(spec),
    [ONNX_METADATA_KEYS.params]: canonicalJson(content.params),
    [ONNX_METADATA_KEYS.offset]: String(content.offset),
    [ONNX_METADATA_KEYS.lineage]: canonicalJson(metadata.lineage ?? null),
  };
  for (const [key, value] of Object.entries(metadata.extra ?? {})) {
    if (key in props) throw new RangeError(`metadata key '${key}' is reserved`);
    props[key] = value;
  }
  const proto: onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: 'flowsentry',
    producerVersion: ONNX_MODEL_FORMAT,
    domain: 'io.flowsentry',
    docString: content.docString,
    opsetImport: content.opsetImport,
    graph: content.graph,
    metadataProps: Object.keys(props)
      .sort()
      .map((key) => ({ key, value: props[key] })),
  };
  return onnx.ModelProto.encode(proto).finish();
}
