import { FeatureMatrix } from '../features/feature-matrix';
import { rowIsFinite } from '../preprocessing/finite-values';
import { scaledRows } from '../preprocessing/standard-scaling';
import { AnomalyScores, anomalyScoresOf } from '../scoring/anomaly-scores';
import { OneClassSvmModel } from './one-class-svm-model';
import { rbfRow } from './rbf-kernel';

/**
 * sklearn's OneClassSVM outputs in float64, the specification the ONNX graph is checked against:
 *   score_samples = Σ dualCoef_i · exp(−γ‖x − sv_i‖²),  decision = score_samples − rho
 * label = decision < 0 ? −1 : +1, flowsentry's rule for every model (libsvm's predict says −1 at
 * exactly 0 as well; only rows on the boundary itself can differ). A row holding NaN or ±Infinity
 * scores NaN without affecting the other rows, as in the ONNX graph.
 */
export function scoreOneClassSvm(model: OneClassSvmModel, matrix: FeatureMatrix): AnomalyScores {
  if (matrix.cols !== model.nFeatures) throw new RangeError(`matrix has ${matrix.cols} columns, the model expects ${model.nFeatures}`);
  const rows = scaledRows(matrix, model.scaling);
  const kernel = new Float64Array(model.dualCoef.length);
  const scoreSamples = new Float64Array(matrix.rows).fill(NaN);
  for (let r = 0; r < matrix.rows; r++) {
    if (!rowIsFinite(matrix.data, r, matrix.cols)) continue;
    rbfRow(rows, r, model.supportVectors, matrix.cols, model.params.gamma, kernel);
    let score = 0;
    for (let s = 0; s < kernel.length; s++) score += model.dualCoef[s] * kernel[s];
    scoreSamples[r] = score;
  }
  return anomalyScoresOf(scoreSamples, model.rho);
}
