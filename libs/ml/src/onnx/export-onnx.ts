import { onnx } from 'onnx-proto';
import { FeatureSpec } from '../features/feature-spec';
import { averagePathLength } from '../forest/average-path-length';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { batchTensor, floatScalar, int64Tensor } from './onnx-builders';
import { ONNX_OPSET, OnnxExportMetadata, onnxModelBytes } from './onnx-model-envelope';
import { ML_DOMAIN, treeEnsembleNode } from './tree-ensemble-node';

export type { OnnxExportMetadata } from './onnx-model-envelope';

export const ONNX_INPUT = 'features';
export const ONNX_OUTPUTS = { scoreSamples: 'score_samples', decision: 'decision_function', label: 'label' } as const;

const ML_OPSET = 3;

/**
 * The model as ONNX: features[N, F] float → score_samples[N], decision_function[N] (float) and
 * label[N] (int64, +1 inlier / −1 outlier), reproducing sklearn's IsolationForest outputs:
 *   E[h]           = TreeEnsembleRegressor(AVERAGE of leaf depth + c(leaf size))
 *   score_samples  = −2^(−E[h]/c(max_samples)) = −exp(E[h] · (−ln 2 / c(max_samples)))
 *   decision       = score_samples − offset;   label = decision < 0 ? −1 : +1
 * No timestamps or random ids go in, so the same model, spec and metadata give the same bytes.
 */
export function exportOnnx(model: IsolationForestModel, spec: FeatureSpec, metadata: OnnxExportMetadata): Uint8Array {
  const exponentScale = -Math.LN2 / averagePathLength(model.params.maxSamples);

  const graph: onnx.IGraphProto = {
    name: 'flowsentry_isolation_forest',
    input: [batchTensor(ONNX_INPUT, onnx.TensorProto.DataType.FLOAT, [model.nFeatures])],
    output: [
      batchTensor(ONNX_OUTPUTS.scoreSamples, onnx.TensorProto.DataType.FLOAT, []),
      batchTensor(ONNX_OUTPUTS.decision, onnx.TensorProto.DataType.FLOAT, []),
      batchTensor(ONNX_OUTPUTS.label, onnx.TensorProto.DataType.INT64, []),
    ],
    initializer: [
      int64Tensor('flat_shape', [-1], [1]),
      floatScalar('exponent_scale', exponentScale),
      floatScalar('offset', model.offset),
      floatScalar('zero', 0),
      int64Tensor('outlier', [-1]),
      int64Tensor('inlier', [1]),
    ],
    node: [
      treeEnsembleNode(model, ONNX_INPUT, 'mean_path_length_2d'),
      { name: 'flatten', opType: 'Reshape', input: ['mean_path_length_2d', 'flat_shape'], output: ['mean_path_length'] },
      { name: 'scale', opType: 'Mul', input: ['mean_path_length', 'exponent_scale'], output: ['scaled_path_length'] },
      { name: 'exp', opType: 'Exp', input: ['scaled_path_length'], output: ['anomaly_score'] },
      { name: 'negate', opType: 'Neg', input: ['anomaly_score'], output: [ONNX_OUTPUTS.scoreSamples] },
      { name: 'shift', opType: 'Sub', input: [ONNX_OUTPUTS.scoreSamples, 'offset'], output: [ONNX_OUTPUTS.decision] },
      { name: 'is_outlier', opType: 'Less', input: [ONNX_OUTPUTS.decision, 'zero'], output: ['is_outlier'] },
      { name: 'predict', opType: 'Where', input: ['is_outlier', 'outlier', 'inlier'], output: [ONNX_OUTPUTS.label] },
    ],
  };

  return onnxModelBytes(
    {
      algorithm: 'isolation-forest',
      nFeatures: model.nFeatures,
      params: model.params,
      offset: model.offset,
      graph,
      opsetImport: [
        { domain: '', version: ONNX_OPSET },
        { domain: ML_DOMAIN, version: ML_OPSET },
      ],
      docString: 'Isolation Forest anomaly scores for network flows (sklearn IsolationForest semantics)',
    },
    spec,
    metadata,
  );
}
