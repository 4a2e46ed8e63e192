import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { gaussian, identitySpec, randomMatrix } from '../../fixtures/scoring-data';
import { SeededRandom } from '../forest/seeded-random';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from '../onnx/export-onnx';
import { AttributionModelError } from './attribution-forest';
import { PathAttribution } from './path-attribution';

const FEATURES = 6;
/** gaussian() has scale 100: a flow 8σ out in one feature and typical in the others. */
const FAR_OUT = 800;

const training = randomMatrix(4000, FEATURES, 1, gaussian);
const model = trainIsolationForest(training, { seed: 7, contamination: 0.01 });
const bytes = exportOnnx(model, identitySpec(FEATURES), { modelName: 'explain', modelVersion: '1' });
const attribution = PathAttribution.fromOnnx(bytes);

/** Draws from the training distribution within 1.5σ: a value no split would single out. */
const typical = (random: SeededRandom): number => {
  for (;;) {
    const value = gaussian(random);
    if (Math.abs(value) <= 150) return value;
  }
};

/** `count` flows typical in every feature, with those in `farOut` moved `FAR_OUT` up or down. */
function flows(count: number, seed: number, farOut: (row: number) => readonly number[]): FeatureMatrix {
  const random = new SeededRandom(seed);
  const rows = randomMatrix(count, FEATURES, seed, typical);
  for (let r = 0; r < count; r++) {
    for (const k of farOut(r)) rows.data[r * FEATURES + k] = random.nextDouble() < 0.5 ? -FAR_OUT : FAR_OUT;
  }
  return rows;
}

const ranked = (contributions: Float64Array): number[] => Array.from(contributions.keys()).sort((a, b) => contributions[b] - contributions[a]);
const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0);

describe('PathAttribution', () => {
  it('reads the feature count of the model', () => {
    expect(attribution.nFeatures).toBe(FEATURES);
  });

  it.each(Array.from({ length: FEATURES }, (_, k) => k))('ranks feature %i first for flows that are typical in every feature but that one', (k) => {
    const rows = flows(50, 100 + k, () => [k]);
    for (let r = 0; r < rows.rows; r++) expect(ranked(attribution.explain(rows, r))[0]).toBe(k);
  });

  it('does not favour a feature for being split on often: on typical flows every feature gets 1/F on average, a binary one included', () => {
    // A binary or three-valued column turns constant a few levels down and is split on far less than a
    // continuous one (unnormalised, the binary column below averages about 0.11 instead of 1/6).
    const mixed = (random: SeededRandom, col: number): number => (col < 4 ? gaussian(random) : col === 4 ? (random.nextDouble() < 0.5 ? 1 : 0) : random.nextInt(3));
    const mixedModel = trainIsolationForest(randomMatrix(4000, FEATURES, 1, mixed), { seed: 7 });
    const mixedAttribution = PathAttribution.fromOnnx(exportOnnx(mixedModel, identitySpec(FEATURES), { modelName: 'mixed', modelVersion: '1' }));
    const rows = randomMatrix(3000, FEATURES, 2, mixed);
    const mean = new Float64Array(FEATURES);
    for (let r = 0; r < rows.rows; r++) mixedAttribution.explain(rows, r).forEach((share, j) => (mean[j] += share / rows.rows));
    for (const share of mean) expect(Math.abs(share - 1 / FEATURES)).toBeLessThan(0.025);
  });

  it('names both features, first and second, for a flow far out in two', () => {
    const pair = (r: number): [number, number] => [r % FEATURES, (r + 1 + (r % (FEATURES - 1))) % FEATURES];
    const rows = flows(60, 9, pair);
    for (let r = 0; r < rows.rows; r++) expect(new Set(ranked(attribution.explain(rows, r)).slice(0, 2))).toEqual(new Set(pair(r)));
  });

  it('gives non-negative contributions that sum to 1, for typical, anomalous and non-finite flows', () => {
    const rows = randomMatrix(300, FEATURES, 11, (random) => (random.nextDouble() - 0.5) * 2000);
    rows.data.set([NaN, Infinity, -Infinity, NaN, 0, 1], 0);
    for (let r = 0; r < rows.rows; r++) {
      const contributions = attribution.explain(rows, r);
      expect(contributions).toHaveLength(FEATURES);
      expect(contributions.every((value) => value >= 0 && Number.isFinite(value))).toBe(true);
      expect(sum(contributions)).toBeCloseTo(1, 12);
    }
  });

  it('explains NaN as the scorers score it: a flow with NaN in a feature is explained like one with +Infinity there', () => {
    const withNaN = featureMatrix(Float32Array.from([NaN, 10, -20, 30, 0, 5]), FEATURES);
    const withInfinity = featureMatrix(Float32Array.from([Infinity, 10, -20, 30, 0, 5]), FEATURES);
    expect(attribution.explain(withNaN, 0)).toEqual(attribution.explain(withInfinity, 0));
    expect(ranked(attribution.explain(withNaN, 0))[0]).toBe(0);
  });

  it('is deterministic: the same bytes and row give the same contributions, bit for bit', () => {
    const rows = flows(20, 12, (r) => [r % FEATURES]);
    const again = PathAttribution.fromOnnx(Uint8Array.from(bytes));
    for (let r = 0; r < rows.rows; r++) {
      const first = attribution.explain(rows, r);
      expect(attribution.explain(rows, r)).toEqual(first);
      expect(again.explain(rows, r)).toEqual(first);
    }
  });

  it('returns all zeros when no split was taken (a forest of single-leaf trees)', () => {
    const constant = featureMatrix(new Float32Array(400).fill(3), 4);
    const flat = PathAttribution.fromOnnx(exportOnnx(trainIsolationForest(constant, { nEstimators: 5 }), identitySpec(4), { modelName: 'flat', modelVersion: '1' }));
    expect(flat.explain(featureMatrix(Float32Array.from([1, 2, 3, 4]), 4), 0)).toEqual(new Float64Array(4));
  });

  it('refuses bytes that are not a flowsentry model, a matrix of the wrong width and a row outside it', () => {
    expect(() => PathAttribution.fromOnnx(new TextEncoder().encode('not a model'))).toThrow(AttributionModelError);
    expect(() => attribution.explain(featureMatrix(new Float32Array(5), 5), 0)).toThrow(/matrix has 5 columns, the model expects 6/);
    expect(() => attribution.explain(featureMatrix(new Float32Array(12), 6), 2)).toThrow(/row 2 is outside the matrix's 2 rows/);
  });
});
