import { FeatureMatrix } from '../features/feature-matrix';
import { rowIsFinite } from '../preprocessing/finite-values';
import { scaledRows } from '../preprocessing/standard-scaling';
import { AnomalyScores } from '../scoring/anomaly-scores';
import { INLIER, OUTLIER } from '../scoring/forest-scores';
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
  const scoreSamples = new Float64Array(matrix.rows);
  const decision = new Float64Array(matrix.rows);
  const labels = new Int8Array(matrix.rows);
  for (let r = 0; r < matrix.rows; r++) {
    let score = NaN;
    if (rowIsFinite(matrix.data, r, matrix.cols)) {
      rbfRow(rows, r, model.supportVectors, matrix.cols, model.params.gamma, kernel);
      score = 0;
      for (let s = 0; s < kernel.length; s++) score += model.dualCoef[s] * kernel[s];
    }
    scoreSamples[r] = score;
    decision[r] = score - model.rho;
    labels[r] = decision[r] < 0 ? OUTLIER : INLIER;
  }
  return { scoreSamples, decision, labels };
}
