import { exportOneClassSvmOnnx, exportOnnx, featureMatrix, FeaturePipeline, trainIsolationForest, trainOneClassSvm } from '@flowsentry/ml';
import { DeviationAttribution } from './deviation-attribution';

const recipes = [
  { kind: 'numeric' as const, name: 'a', field: 'a', transform: 'identity' as const },
  { kind: 'numeric' as const, name: 'b', field: 'b', transform: 'identity' as const },
  { kind: 'numeric' as const, name: 'c', field: 'c', transform: 'identity' as const },
];
// Column a spreads over ~1, b over ~1,000 (a port-like column), c is constant.
const records = Array.from({ length: 200 }, (_, i) => ({ a: (i % 10) / 3, b: 1000 * ((i * 7) % 13), c: 5 }));
const pipeline = FeaturePipeline.fit(records, recipes);
const matrix = pipeline.transform(records);
const svm = trainOneClassSvm(matrix, { nu: 0.1, approximation: 'nystroem', nComponents: 20, scaling: 'standard', seed: 1 });
const explainer = DeviationAttribution.fromOnnx(exportOneClassSvmOnnx(svm, pipeline.spec, { modelName: 'm', modelVersion: '1' }));
const mean = svm.scaling!.mean;
const scale = svm.scaling!.scale;

describe('reasons for a model without trees: share of the standardised squared deviation from the training mean', () => {
  it('credits the feature a flow deviates in, measured in training standard deviations rather than raw units', () => {
    // 3 sd out in a, 0.5 sd out in b: b's raw deviation is hundreds of times larger, yet a is the reason.
    const row = featureMatrix(Float32Array.from([mean[0]! + 3 * scale[0]!, mean[1]! + 0.5 * scale[1]!, 5]), 3);
    const shares = explainer.explain(row, 0);
    expect(shares[0]).toBeCloseTo(9 / 9.25, 5);
    expect(shares[1]).toBeCloseTo(0.25 / 9.25, 5);
    expect(shares[2]).toBe(0);
    expect(shares.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('gives no share to a non-finite value (the model scores such a row NaN) and none to a column that never varied', () => {
    const shares = explainer.explain(featureMatrix(Float32Array.from([NaN, mean[1]! + scale[1]!, 5]), 3), 0);
    expect(Array.from(shares)).toEqual([0, 1, 0]);
  });

  it('refuses a model that stores no standardisation (a forest), and a matrix of another width', () => {
    const forest = trainIsolationForest(matrix, { nEstimators: 5, seed: 1 });
    expect(() => DeviationAttribution.fromOnnx(exportOnnx(forest, pipeline.spec, { modelName: 'm', modelVersion: '1' }))).toThrow(/no standardisation/);
    expect(() => explainer.explain(featureMatrix(new Float32Array(2), 2), 0)).toThrow(RangeError);
  });
});
