/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { join } from 'node:path';
import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { gaussian, identitySpec, NON_FINITE_ROWS_3, onThresholdRows, randomMatrix } from '../../fixtures/scoring-data';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from '../onnx/export-onnx';
import { ForestKernelScorer } from './forest-kernel-scorer';
import { OnnxScorer } from './onnx-scorer';
import { referenceScore } from './reference-score';

const TOLERANCE = 1e-5;



const exported = (model: IsolationForestModel): Uint8Array => exportOnnx(model, identitySpec(model.nFeatures), { modelName: 'kernel', modelVersion: '3' });

type KernelOptions = { threads?: number; blockRows?: number; parallelFromRows?: number };

/** Kernel scores against onnxruntime (the same graph) and the float64 reference; labels may only differ on the threshold itself. */
async function parityCheck(model: IsolationForestModel, options: KernelOptions = {}): Promise<{ check: (matrix: FeatureMatrix) => Promise<void>; release: () => Promise<void> }> {
  const bytes = exported(model);
  const kernel = await ForestKernelScorer.create(bytes, options);
  const onnxruntime = await OnnxScorer.create(bytes);
  const check = async (matrix: FeatureMatrix): Promise<void> => {
    const scores = await kernel.score(matrix);
    const expected = await onnxruntime.score(matrix);
    const reference = referenceScore(model, matrix);
    expect(scores.scoreSamples).toHaveLength(matrix.rows);
    let worst = 0;
    for (let i = 0; i < matrix.rows; i++) {
      worst = Math.max(worst, Math.abs(scores.scoreSamples[i] - expected.scoreSamples[i]), Math.abs(scores.decision[i] - expected.decision[i]));
      worst = Math.max(worst, Math.abs(scores.scoreSamples[i] - reference.scoreSamples[i]), Math.abs(scores.decision[i] - reference.decision[i]));
      if (Math.abs(reference.decision[i]) > TOLERANCE) expect(scores.labels[i]).toBe(reference.labels[i]);
    }
    expect(worst).toBeLessThan(TOLERANCE);
  };
  return { check, release: async () => void (await Promise.all([kernel.release(), onnxruntime.release()])) };
}

async function expectParity(model: IsolationForestModel, matrix: FeatureMatrix, options: KernelOptions = {}): Promise<void> {
  const parity = await parityCheck(model, options);
  try {
    await parity.check(matrix);
  } finally {
    await parity.release();
  }
}

describe('ForestKernelScorer agrees with OnnxScorer and referenceScore within 1e-5', () => {
  it('on random data, for training and unseen rows', async () => {
    const training = randomMatrix(2000, 12, 1, gaussian);
    const model = trainIsolationForest(training, { contamination: 0.02, seed: 9 });
    await expectParity(model, training);
    await expectParity(model, randomMatrix(3000, 12, 2, (r) => gaussian(r) * 3));
  });

  it('on heavy ties: small-integer columns where most rows are duplicates', async () => {
    const matrix = randomMatrix(1500, 6, 3, (r) => r.nextInt(3));
    await expectParity(trainIsolationForest(matrix, { contamination: 0.1 }), matrix);
  });

  it('on constant columns, rows lying exactly on split thresholds, and an all-constant training set', async () => {
    const training = randomMatrix(800, 5, 4, (r, col) => (col % 2 === 0 ? 7 : r.nextDouble() * 10));
    const model = trainIsolationForest(training, { seed: 5 });
    await expectParity(model, onThresholdRows(model, 7));
    await expectParity(trainIsolationForest(featureMatrix(new Float32Array(400).fill(3), 4), { nEstimators: 5 }), randomMatrix(50, 4, 5, gaussian));
  });

  it('on NaN and ±Infinity, routed like onnxruntime: NaN and +Infinity right, −Infinity left', async () => {
    const model = trainIsolationForest(randomMatrix(500, 3, 6, gaussian));
    await expectParity(model, NON_FINITE_ROWS_3);
    const kernel = await ForestKernelScorer.create(exported(model));
    const [allNaN, allPlusInf] = [(await kernel.score(featureMatrix(Float32Array.from([NaN, NaN, NaN]), 3))).scoreSamples[0], (await kernel.score(featureMatrix(Float32Array.from([Infinity, Infinity, Infinity]), 3))).scoreSamples[0]];
    expect(allNaN).toBe(allPlusInf);
    await kernel.release();
  });

  it.each([1, 2, 3])('for every remainder of the 8-row walk and across blocks, on %i thread(s)', async (threads) => {
    const training = randomMatrix(1000, 4, 10, (r) => r.nextDouble() * 50);
    const model = trainIsolationForest(training, { seed: 2 });
    const unseen = randomMatrix(10_007, 4, 11, (r) => r.nextDouble() * 60 - 5);
    const parity = await parityCheck(model, { threads, blockRows: 1000, parallelFromRows: 1 });
    try {
      for (const rows of [1, 7, 8, 9, 255, 256, 257, 2049, 10_007]) await parity.check(featureMatrix(unseen.data.subarray(0, rows * 4), 4));
    } finally {
      await parity.release();
    }
  });
});

describe('ForestKernelScorer', () => {
  const cols = 5;
  const model = trainIsolationForest(randomMatrix(4000, cols, 1, gaussian), { seed: 3 });
  const bytes = exported(model);
  const unseen = randomMatrix(20_000, cols, 2, gaussian);
  const head = (rows: number): FeatureMatrix => featureMatrix(unseen.data.subarray(0, rows * cols), cols);

  it('scores an empty batch, exposes the model metadata, and reuses one kernel across calls', async () => {
    const scorer = await ForestKernelScorer.create(bytes);
    expect((await scorer.score(featureMatrix(new Float32Array(0), cols))).scoreSamples).toHaveLength(0);
    expect(scorer.metadata.modelVersion).toBe('3');
    expect(scorer.nFeatures).toBe(cols);
    const whole = await scorer.score(head(100));
    const one = await scorer.score(featureMatrix(unseen.data.subarray(cols * 10, cols * 11), cols));
    expect(one.scoreSamples[0]).toBe(whole.scoreSamples[10]);
    await scorer.release();
  });

  it("answers concurrent batches each with its own rows, and leaves the caller's rows intact", async () => {
    const scorer = await ForestKernelScorer.create(bytes, { threads: 2, parallelFromRows: 1, blockRows: 3000 });
    const before = Float32Array.from(head(5000).data);
    const other = featureMatrix(unseen.data.subarray(cols * 5000, cols * 8001), cols);
    const [a, b] = await Promise.all([scorer.score(head(5000)), scorer.score(other)]);
    const reference = referenceScore(model, head(8001));
    for (let i = 0; i < 5000; i++) expect(Math.abs(a.scoreSamples[i] - reference.scoreSamples[i])).toBeLessThan(TOLERANCE);
    for (let i = 0; i < 3001; i++) expect(Math.abs(b.scoreSamples[i] - reference.scoreSamples[5000 + i])).toBeLessThan(TOLERANCE);
    expect(head(5000).data).toEqual(before);
    await scorer.release();
  });

  it('turns a worker that dies mid-batch into an error for that batch and every later one, not a hang', async () => {
    const scorer = await ForestKernelScorer.create(bytes, { threads: 2, parallelFromRows: 1 }, join(__dirname, '../../fixtures/workers/exits-on-first-batch.js'));
    await expect(scorer.score(head(100))).rejects.toThrow(/scoring worker exited unexpectedly \(code 7\)/);
    await expect(scorer.score(head(100))).rejects.toThrow(/exited unexpectedly/);
    await scorer.release();
  });

  it('rejects a matrix with the wrong number of columns and bad options, with the reason', async () => {
    const scorer = await ForestKernelScorer.create(bytes);
    await expect(scorer.score(featureMatrix(new Float32Array(6), 3))).rejects.toThrow(/matrix has 3 columns, the model expects 5/);
    await expect(ForestKernelScorer.create(bytes, { threads: 0 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(ForestKernelScorer.create(bytes, { blockRows: 0 })).rejects.toThrow(/blockRows must be a positive integer/);
    await expect(ForestKernelScorer.create(bytes, { blockRows: 200_000_000 })).rejects.toThrow(/need \d+ pages of kernel memory, more than 32768 \(2 GiB\)/);
    await expect(ForestKernelScorer.create(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a flowsentry ONNX model/);
    await scorer.release();
  });
});
