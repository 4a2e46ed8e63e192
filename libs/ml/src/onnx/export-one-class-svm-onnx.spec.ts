/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { loadAlgorithmsReference } from '../../fixtures/algorithms/algorithm-fixtures';
import { loadLabelledMatrix } from '../../fixtures/forest/parity-fixtures';
import { expectOnnxAgreement } from '../../fixtures/onnx-agreement';
import { gaussian, identitySpec, NON_FINITE_ROWS_3, randomMatrix } from '../../fixtures/scoring-data';
import { featureMatrix } from '../features/feature-matrix';
import { OneClassSvmModel } from '../svm/one-class-svm-model';
import { scoreOneClassSvm } from '../svm/score-one-class-svm';
import { trainOneClassSvm } from '../svm/train-one-class-svm';
import { exportOneClassSvmOnnx } from './export-one-class-svm-onnx';
import { readOnnxMetadata } from './onnx-metadata';

const exported = (model: OneClassSvmModel): Uint8Array => exportOneClassSvmOnnx(model, identitySpec(model.nFeatures), { modelName: 'ocsvm', modelVersion: '2' });

async function expectParity(model: OneClassSvmModel, matrix: ReturnType<typeof randomMatrix>, threads = 1) {
  return expectOnnxAgreement(exported(model), scoreOneClassSvm(model, matrix), matrix, threads);
}

describe('one-class SVM ONNX export agrees with scoreOneClassSvm within 1e-5 (one float32 step above 128)', () => {
  const reference = loadAlgorithmsReference();

  describe.each(Object.keys(reference.datasets))('on parity data set %s', (name) => {
    const { csv, scaling } = reference.datasets[name];
    const { matrix } = loadLabelledMatrix(csv);
    const training = featureMatrix(matrix.data.subarray(0, Math.floor(matrix.rows / 2) * matrix.cols), matrix.cols);

    it.each(['exact', 'nystroem'] as const)('%s', async (approximation) => {
      const agreement = await expectParity(trainOneClassSvm(training, { scaling, approximation }), matrix);
      expect(agreement.maxDiffAfterCast).toBeLessThanOrEqual(1e-5);
    });
  });

  it('on random data, for training and unseen rows, with 1 and 2 threads, exact and Nyström', async () => {
    const training = randomMatrix(1200, 6, 1, gaussian);
    for (const approximation of ['exact', 'nystroem'] as const) {
      const model = trainOneClassSvm(training, { nu: 0.1, approximation, scaling: 'standard' });
      await expectParity(model, training, 1);
      await expectParity(model, randomMatrix(1500, 6, 2, (r) => gaussian(r) * 3), 2);
    }
  });

  it('on a single repeated training point (gamma 1, decision exactly 0 there) and a single tight cluster', async () => {
    const single = randomMatrix(50, 3, 3, () => 1.5);
    await expectParity(trainOneClassSvm(single), featureMatrix(Float32Array.from([1.5, 1.5, 1.5, 1.6, 1.5, 1.5, -4, 0, 9]), 3));
    const cluster = randomMatrix(300, 4, 4, (r) => 5 + gaussian(r) / 1000);
    await expectParity(trainOneClassSvm(cluster, { nu: 0.2 }), randomMatrix(200, 4, 5, (r) => 5 + gaussian(r) / 300));
  });

  it('on constant columns, raw and standardised (scale 1)', async () => {
    const rows = randomMatrix(500, 4, 6, (r, col) => (col === 2 ? -3 : gaussian(r)));
    for (const scaling of ['none', 'standard'] as const) await expectParity(trainOneClassSvm(rows, { scaling, nu: 0.2 }), randomMatrix(300, 4, 7, (r, col) => (col === 2 ? -3 : gaussian(r))));
  });

  it('on NaN and ±Infinity: those rows score NaN in both scorers, and the rows beside them are unaffected', async () => {
    const model = trainOneClassSvm(randomMatrix(200, 3, 8, gaussian), { scaling: 'standard' });
    const finite = randomMatrix(5, 3, 9, gaussian);
    const mixed = featureMatrix(Float32Array.from([...finite.data, ...NON_FINITE_ROWS_3.data]), 3);
    const reference = scoreOneClassSvm(model, mixed);
    expect(Array.from(reference.decision.slice(5)).every(Number.isNaN)).toBe(true);
    expect(Array.from(reference.scoreSamples.slice(0, 5))).toEqual(Array.from(scoreOneClassSvm(model, finite).scoreSamples));
    await expectOnnxAgreement(exported(model), reference, mixed);
  });

  it('writes the forest’s metadata with algorithm one-class-svm, the params and offset = rho, byte-identically', () => {
    const model = trainOneClassSvm(randomMatrix(150, 3, 10, gaussian), { nu: 0.3, approximation: 'nystroem', nComponents: 20, seed: 7 });
    const bytes = exported(model);
    expect(Buffer.from(exported(model)).equals(Buffer.from(bytes))).toBe(true);
    const metadata = readOnnxMetadata(bytes);
    expect(metadata).toMatchObject({ algorithm: 'one-class-svm', modelName: 'ocsvm', modelVersion: '2', offset: model.rho });
    expect(metadata.params).toMatchObject({ kernel: 'rbf', nu: 0.3, approximation: 'nystroem', nComponents: 20, gamma: model.params.gamma, seed: 7 });
  });
});
