/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { loadAlgorithmsReference } from '../../fixtures/algorithms/algorithm-fixtures';
import { loadLabelledMatrix } from '../../fixtures/forest/parity-fixtures';
import { expectOnnxAgreement } from '../../fixtures/onnx-agreement';
import { gaussian, identitySpec, NON_FINITE_ROWS_3, randomMatrix } from '../../fixtures/scoring-data';
import { SeededRandom } from '../forest/seeded-random';
import { FeatureMatrix, featureMatrix } from '../features/feature-matrix';
import { LocalOutlierFactorModel } from '../neighbors/local-outlier-factor-model';
import { scoreLocalOutlierFactor } from '../neighbors/score-local-outlier-factor';
import { trainLocalOutlierFactor } from '../neighbors/train-local-outlier-factor';
import { exportLocalOutlierFactorOnnx } from './export-local-outlier-factor-onnx';
import { readOnnxMetadata } from './onnx-metadata';

const stacked = (a: FeatureMatrix, b: FeatureMatrix): FeatureMatrix => featureMatrix(Float32Array.from([...a.data, ...b.data]), a.cols);

const exported = (model: LocalOutlierFactorModel): Uint8Array =>
  exportLocalOutlierFactorOnnx(model, identitySpec(model.nFeatures), { modelName: 'lof', modelVersion: '1', lineage: { runId: 'r' } });

async function expectParity(model: LocalOutlierFactorModel, matrix = featureMatrix(Float32Array.from(model.training), model.nFeatures), threads = 1) {
  return expectOnnxAgreement(exported(model), scoreLocalOutlierFactor(model, matrix), matrix, threads);
}

describe('LOF ONNX export agrees with scoreLocalOutlierFactor within 1e-5 (one float32 step above 128)', () => {
  const reference = loadAlgorithmsReference();

  it.each(Object.keys(reference.datasets))('on parity data set %s (ties, duplicates and constant columns included)', async (name) => {
    const { csv, scaling } = reference.datasets[name];
    const { matrix } = loadLabelledMatrix(csv);
    const training = featureMatrix(matrix.data.subarray(0, Math.floor(matrix.rows / 2) * matrix.cols), matrix.cols);
    const agreement = await expectParity(trainLocalOutlierFactor(training, { scaling }), matrix);
    // Beyond the tolerance: the graph's float64 score, cast, is the float32 nearest the TypeScript one.
    expect(agreement.maxDiffAfterCast).toBeLessThanOrEqual(1e-5);
  });

  it('on random data, for training and unseen rows, with 1 and 2 threads', async () => {
    const model = trainLocalOutlierFactor(randomMatrix(1500, 8, 1, gaussian), { contamination: 0.05, scaling: 'standard' });
    await expectParity(model, undefined, 1);
    await expectParity(model, randomMatrix(2000, 8, 2, (r) => gaussian(r) * 2), 2);
  });

  it('on duplicated points: more copies than k, so k-distances of 0 and densities of 1e10', async () => {
    const rows = randomMatrix(400, 3, 3, (r) => r.nextInt(4)); // 64 distinct points, ~6 copies each
    const model = trainLocalOutlierFactor(rows, { nNeighbors: 4 });
    expect(Array.from(model.kDistance).filter((d) => d === 0).length).toBeGreaterThan(250);
    await expectParity(model, randomMatrix(400, 3, 4, (r) => r.nextInt(5)));
  });

  it('on heavy exact ties: small-integer columns, raw and standardised (the k-th neighbour is ambiguous)', async () => {
    const rows = randomMatrix(800, 5, 5, (r) => r.nextInt(6));
    for (const scaling of ['none', 'standard'] as const) await expectParity(trainLocalOutlierFactor(rows, { scaling }), randomMatrix(800, 5, 6, (r) => r.nextInt(7)));
  });

  it('on near-duplicates far from the bulk: a cluster finer than float32 distances resolve there, larger than the shortlist', async () => {
    // 150 rows on a 5 × 5 grid of float32 steps (2⁻¹⁷) at (100, −100), 450 spread around the origin. Out
    // there a float32 distance is rounded by ~1e-3 and the cluster's distances are ~6e-11 apart.
    const cluster = (r: SeededRandom, col: number) => (col === 0 ? 100 : -100) + (r.nextInt(5) - 2) * 2 ** -17;
    const training = stacked(randomMatrix(450, 2, 12, gaussian), randomMatrix(150, 2, 13, cluster));
    const model = trainLocalOutlierFactor(training, { nNeighbors: 10 });
    await expectParity(model, stacked(randomMatrix(200, 2, 14, cluster), randomMatrix(100, 2, 15, gaussian)));
  });

  it('at float32’s edges: queries and stored rows too far out for float32 keys, and values too small for them', async () => {
    const model = trainLocalOutlierFactor(randomMatrix(300, 3, 16, gaussian), { nNeighbors: 5 });
    // Queries 1e8 out, 1e6 times the spread: float32 keys cannot rank the stored rows from there, so those
    // batches take the float64 shortlist. (From ~3e7 times the spread on, every stored row lies in one grid
    // step of the neighbour key; see docs/ALGORITHMS.md.)
    await expectParity(model, stacked(randomMatrix(20, 3, 17, (r) => gaussian(r) * 1e6), randomMatrix(50, 3, 18, gaussian)));
    // Stored rows 1e17 out: the graph has only the float64 shortlist.
    const far = trainLocalOutlierFactor(stacked(randomMatrix(300, 3, 19, gaussian), randomMatrix(3, 3, 20, (r) => gaussian(r) * 1e15)), { nNeighbors: 5 });
    await expectParity(far, randomMatrix(100, 3, 21, gaussian));
    // Values around 1e-20: squared distances ~1e-38 underflow float32 keys; no row certifies, float64 decides.
    const tiny = (r: SeededRandom) => gaussian(r) * 1e-22;
    await expectParity(trainLocalOutlierFactor(randomMatrix(300, 3, 22, tiny), { nNeighbors: 5 }), randomMatrix(100, 3, 23, tiny));
  });

  it('on constant columns, raw and standardised (scale 1)', async () => {
    const rows = randomMatrix(600, 4, 7, (r, col) => (col === 1 ? 7 : gaussian(r)));
    for (const scaling of ['none', 'standard'] as const) await expectParity(trainLocalOutlierFactor(rows, { scaling }), randomMatrix(300, 4, 8, (r, col) => (col === 1 ? 7 : gaussian(r))));
  });

  it('on NaN and ±Infinity: those rows score NaN in both scorers, and the rows beside them are unaffected', async () => {
    const model = trainLocalOutlierFactor(randomMatrix(200, 3, 9, gaussian), { scaling: 'standard' });
    const finite = randomMatrix(5, 3, 10, gaussian);
    const mixed = featureMatrix(Float32Array.from([...finite.data, ...NON_FINITE_ROWS_3.data]), 3);
    const reference = scoreLocalOutlierFactor(model, mixed);
    expect(Array.from(reference.scoreSamples.slice(5)).every(Number.isNaN)).toBe(true);
    expect(Array.from(reference.scoreSamples.slice(0, 5))).toEqual(Array.from(scoreLocalOutlierFactor(model, finite).scoreSamples));
    await expectOnnxAgreement(exported(model), reference, mixed);
  });

  it('writes the forest’s metadata with algorithm local-outlier-factor, the params and the offset, byte-identically', () => {
    const model = trainLocalOutlierFactor(randomMatrix(100, 3, 11, gaussian), { contamination: 0.1, nNeighbors: 10 });
    const bytes = exported(model);
    expect(Buffer.from(exported(model)).equals(Buffer.from(bytes))).toBe(true);
    const metadata = readOnnxMetadata(bytes);
    expect(metadata).toMatchObject({ algorithm: 'local-outlier-factor', modelName: 'lof', modelVersion: '1', featureNames: ['f0', 'f1', 'f2'], offset: model.offset, lineage: { runId: 'r' } });
    expect(metadata.params).toEqual({ nNeighbors: 10, contamination: 0.1, maxSamples: 100, scaling: 'none', seed: 42 });
  });
});
