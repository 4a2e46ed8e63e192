import { featureMatrix } from '../features/feature-matrix';
import { gaussian, identitySpec, NON_FINITE_ROWS_3, onThresholdRows, randomMatrix } from '../../fixtures/scoring-data';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { meanPathLengths } from '../forest/path-length';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from '../onnx/export-onnx';
import { AttributionForest, attributionForestFromOnnx } from './attribution-forest';
import { accumulatePathWeights, expectedPathWeights } from './path-weights';

const forestOf = (model: IsolationForestModel): AttributionForest =>
  attributionForestFromOnnx(exportOnnx(model, identitySpec(model.nFeatures), { modelName: 'explain', modelVersion: '1' }));

/** E[h(x)] as the attribution walk computes it, for every row. */
function walkedMeanPathLengths(forest: AttributionForest, matrix: { data: Float32Array; rows: number; cols: number }): Float64Array {
  const scratch = new Float64Array(matrix.cols);
  return Float64Array.from({ length: matrix.rows }, (_, r) => accumulatePathWeights(forest, matrix.data, r * matrix.cols, scratch));
}

/**
 * Leaf weights reach the attribution as the float32 values of the ONNX graph, the reference scorer uses the
 * float64 ones: the means agree to float32 rounding, while a single tree routed to a different leaf would
 * move the mean over 100 trees by at least ~0.01.
 */
const SAME_LEAVES = 1e-5;

describe('accumulatePathWeights', () => {
  const model = trainIsolationForest(randomMatrix(3000, 3, 1, gaussian), { seed: 5 });
  const forest = forestOf(model);

  it.each([
    ['random rows', randomMatrix(2000, 3, 2, (random) => (random.nextDouble() - 0.5) * 800)],
    ['rows exactly on a threshold (where <= and < part ways)', onThresholdRows(model, 0)],
    ['NaN and infinities in every position', NON_FINITE_ROWS_3],
  ])('walks %s to the same leaves as the reference scorer (same E[h(x)])', (_case, matrix) => {
    const walked = walkedMeanPathLengths(forest, matrix);
    const reference = meanPathLengths(model, matrix);
    for (let r = 0; r < matrix.rows; r++) expect(Math.abs(walked[r] - reference[r])).toBeLessThan(SAME_LEAVES);
  });

  it('sends NaN where the scorers send it, to the false branch of every split, like +Infinity', () => {
    const nan = featureMatrix(Float32Array.from([NaN, 10, -20]), 3);
    const infinity = featureMatrix(Float32Array.from([Infinity, 10, -20]), 3);
    const [fromNan, fromInfinity] = [new Float64Array(3), new Float64Array(3)];
    expect(accumulatePathWeights(forest, nan.data, 0, fromNan)).toBe(accumulatePathWeights(forest, infinity.data, 0, fromInfinity));
    expect(fromNan).toEqual(fromInfinity);
  });
});

describe('expectedPathWeights', () => {
  it("is the mean of the rows' path weights over the rows the trees were grown on", () => {
    // max_samples = all rows without bootstrap: every tree is grown on exactly the training matrix.
    const training = randomMatrix(256, 4, 3, gaussian);
    const forest = forestOf(trainIsolationForest(training, { seed: 6, nEstimators: 20, maxSamples: 256 }));
    const mean = new Float64Array(4);
    for (let r = 0; r < training.rows; r++) accumulatePathWeights(forest, training.data, r * 4, mean);
    const expected = expectedPathWeights(forest);
    for (let j = 0; j < 4; j++) expect(expected[j]).toBeCloseTo(mean[j] / training.rows, 12);
    expect(expected.every((value) => value > 0)).toBe(true);
  });
});
