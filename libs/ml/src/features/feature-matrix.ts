/**
 * A dense row-major matrix of float32 features: row r, column c is `data[r * cols + c]`.
 * float32 because that is what onnxruntime consumes and what scikit-learn's trees cast to,
 * so a threshold compares against exactly the same value in training, TS scoring and ONNX scoring.
 */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

export function featureMatrix(data: Float32Array, cols: number): FeatureMatrix {
  if (!Number.isInteger(cols) || cols <= 0) throw new RangeError(`cols must be a positive integer, got ${cols}`);
  if (data.length % cols !== 0) throw new RangeError(`data length ${data.length} is not a multiple of cols ${cols}`);
  return { data, rows: data.length / cols, cols };
}
