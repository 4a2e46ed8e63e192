import { AttributionForest, attributionForestFromOnnx } from './attribution-forest';
import { accumulatePathWeights, expectedPathWeights } from './path-weights';

/** The matrix shape the scorers take (FeatureMatrix): row-major float32, `cols` columns. */
export interface AttributionMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Per-flow feature attribution for the Isolation Forest, after local DIFFI (Carletti, Terzi & Susto 2023):
 * each split on the row's path in tree t is credited max(0, 1/h_t(x) − 1/c(ψ)), credits are summed per
 * feature over the trees, divided by the same sum expected for a training row (so a feature is not
 * favoured for being split on often) and normalised to shares. README.md in this folder has the method,
 * the departures from the paper and why.
 */
export class PathAttribution {
  private readonly expected: Float64Array;

  private constructor(private readonly forest: AttributionForest) {
    this.expected = expectedPathWeights(forest);
  }

  /** Reads the trees of a flowsentry ONNX model (the bytes exportOnnx writes). Throws on anything else. */
  static fromOnnx(bytes: Uint8Array): PathAttribution {
    return new PathAttribution(attributionForestFromOnnx(bytes));
  }

  get nFeatures(): number {
    return this.forest.nFeatures;
  }

  /**
   * Per-feature contribution for one row of `matrix` (row-major float32, nFeatures columns): non-negative,
   * sums to 1. All zeros if no split was taken, or if no tree isolated the row in fewer than c(ψ) steps:
   * a row nothing singles out. A row whose mean path is below c(ψ) (score_samples below −0.5) always has
   * such a tree, so it always gets shares; in testing, no typical row came out all zeros either.
   */
  explain(matrix: AttributionMatrix, row: number): Float64Array {
    if (matrix.cols !== this.nFeatures) throw new RangeError(`matrix has ${matrix.cols} columns, the model expects ${this.nFeatures}`);
    if (!Number.isInteger(row) || row < 0 || row >= matrix.rows) throw new RangeError(`row ${row} is outside the matrix's ${matrix.rows} rows`);
    const contributions = new Float64Array(this.nFeatures);
    accumulatePathWeights(this.forest, matrix.data, row * matrix.cols, contributions);
    let total = 0;
    for (let j = 0; j < contributions.length; j++) {
      // A feature no training row's path splits on is on no path at all: its credit is 0 too.
      contributions[j] = this.expected[j] > 0 ? contributions[j] / this.expected[j] : 0;
      total += contributions[j];
    }
    if (total > 0) for (let j = 0; j < contributions.length; j++) contributions[j] /= total;
    return contributions;
  }
}
