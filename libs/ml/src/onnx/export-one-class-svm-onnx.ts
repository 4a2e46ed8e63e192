import { FeatureSpec } from '../features/feature-spec';
import { OneClassSvmModel } from '../svm/one-class-svm-model';
import { doubleScalar, doubleTensor, int64Tensor } from './onnx-builders';
import { anomalyOutputs, columnMedians, preparedInput, scoringGraph, squaredDistances } from './onnx-distance-graph';
import { ONNX_OPSET, OnnxExportMetadata, onnxModelBytes } from './onnx-model-envelope';

/**
 * One-class SVM as plain ONNX operators, reproducing scoreOneClassSvm for exact and Nyström models alike:
 *   K = exp(−γ · max(d², 0)) against the support vectors (or landmarks);  score_samples = K · dualCoef
 * The origin of the distance expansion is the support vectors' column medians, which keeps the norms, and
 * the cancellation in ‖x‖² + ‖s‖² − 2x·s, small for unscaled columns such as ports. The kernel is smooth,
 * so that rounding (~1e-15 of the norms) moves a score by ~1e-15 of Σ|dualCoef|.
 */
export function exportOneClassSvmOnnx(model: OneClassSvmModel, spec: FeatureSpec, metadata: OnnxExportMetadata): Uint8Array {
  const cols = model.nFeatures;
  const count = model.dualCoef.length;
  const graph = scoringGraph('flowsentry_one_class_svm', cols, [
    preparedInput(cols, model.scaling),
    squaredDistances('sv', model.supportVectors, cols, columnMedians(model.supportVectors, cols)),
    {
      nodes: [
        { name: 'clamp', opType: 'Max', input: ['sv_d2', 'zero_f64'], output: ['d2'] },
        { name: 'exponent', opType: 'Mul', input: ['d2', 'neg_gamma'], output: ['exponent'] },
        { name: 'kernel', opType: 'Exp', input: ['exponent'], output: ['kernel'] },
        { name: 'weighted', opType: 'MatMul', input: ['kernel', 'dual_coef'], output: ['score_2d'] },
        { name: 'flatten', opType: 'Reshape', input: ['score_2d', 'flat_shape'], output: ['score'] },
      ],
      initializers: [doubleScalar('neg_gamma', -model.params.gamma), doubleTensor('dual_coef', [count, 1], model.dualCoef), int64Tensor('flat_shape', [-1], [1])],
    },
    anomalyOutputs('score', model.offset),
  ]);
  return onnxModelBytes(
    {
      algorithm: 'one-class-svm',
      nFeatures: cols,
      params: model.params,
      offset: model.offset,
      graph,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      docString: 'One-class SVM (RBF) anomaly scores for network flows (sklearn OneClassSVM semantics)',
    },
    spec,
    metadata,
  );
}
