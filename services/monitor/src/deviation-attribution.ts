import { AttributionMatrix, readOnnxScaling, StandardScaling } from '@flowsentry/ml';

/**
 * Reasons for a model that has no trees to walk (LOF, one-class SVM). Both measure flows by Euclidean
 * distance after standardising each column on the training rows, with the training mean and standard
 * deviation stored in the graph. A feature's contribution is its share of the flow's squared
 * standardised distance from the training mean: z_j² / Σ z², z_j = (x_j − mean_j) / sd_j. Shares sum to
 * 1 (all 0 for a flow exactly at the mean), like the forest's path attribution, so reasons read alike.
 *
 * It says in which features the flow is far from typical training traffic, in the units the model
 * measures distance in. It is not the model's own reasoning: LOF compares the flow with its nearest
 * training flows, not with the mean, so a flow in a small, distant but known cluster can score normal
 * while its reasons name large deviations, and a flow between two busy clusters can alert with small ones.
 */
export class DeviationAttribution {
  private constructor(private readonly scaling: StandardScaling) {}

  static fromOnnx(bytes: Uint8Array): DeviationAttribution {
    const scaling = readOnnxScaling(bytes);
    if (!scaling) throw new RangeError('the model stores no standardisation (scaling_mean, scaling_scale) to measure deviations in');
    return new DeviationAttribution(scaling);
  }

  explain(matrix: AttributionMatrix, row: number): Float64Array {
    const cols = this.scaling.mean.length;
    if (matrix.cols !== cols) throw new RangeError(`matrix has ${matrix.cols} columns, the model expects ${cols}`);
    if (!Number.isInteger(row) || row < 0 || row >= matrix.rows) throw new RangeError(`row ${row} is outside the matrix's ${matrix.rows} rows`);
    const out = new Float64Array(cols);
    let total = 0;
    for (let j = 0; j < cols; j++) {
      const z = (matrix.data[row * cols + j]! - this.scaling.mean[j]!) / this.scaling.scale[j]!;
      // A non-finite value is no distance the model measured (it scores such a row NaN): it gets no share.
      const square = Number.isFinite(z) ? z * z : 0;
      out[j] = square;
      total += square;
    }
    if (total > 0) for (let j = 0; j < cols; j++) out[j] = out[j]! / total;
    return out;
  }
}
