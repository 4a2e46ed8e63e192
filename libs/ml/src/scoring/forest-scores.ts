/** Per-row outputs, named after scikit-learn's IsolationForest methods. */
export interface ForestScores {
  /** score_samples: −2^(−E[h]/c(max_samples)); lower is more anomalous. */
  readonly scoreSamples: Float32Array | Float64Array;
  /** decision_function: score_samples − offset; negative means outlier. */
  readonly decision: Float32Array | Float64Array;
  /** predict: +1 inlier, −1 outlier (decision < 0). */
  readonly labels: Int8Array;
}

export const INLIER = 1;
export const OUTLIER = -1;
