/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { join } from 'node:path';
import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { gaussian, identitySpec, NON_FINITE_ROWS_3, onThresholdRows, randomMatrix } from '../../fixtures/scoring-data';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from '../onnx/export-onnx';
import { OnnxScorer } from './onnx-scorer';
import { referenceScore } from './reference-score';

const TOLERANCE = 1e-5;



async function scorerFor(model: IsolationForestModel, threads = 1): Promise<OnnxScorer> {
  return OnnxScorer.create(exportOnnx(model, identitySpec(model.nFeatures), { modelName: 'parity', modelVersion: '1' }), { threads });
}

async function expectParity(model: IsolationForestModel, matrix: FeatureMatrix, threads = 1): Promise<void> {
  const scorer = await scorerFor(model, threads);
  const onnxScores = await scorer.score(matrix);
  const reference = referenceScore(model, matrix);
  let worstScore = 0;
  let worstDecision = 0;
  for (let i = 0; i < matrix.rows; i++) {
    worstScore = Math.max(worstScore, Math.abs(onnxScores.scoreSamples[i] - reference.scoreSamples[i]));
    worstDecision = Math.max(worstDecision, Math.abs(onnxScores.decision[i] - reference.decision[i]));
    // float32 vs float64 arithmetic may only disagree on rows sitting on the threshold itself.
    if (Math.abs(reference.decision[i]) > TOLERANCE) expect(onnxScores.labels[i]).toBe(reference.labels[i]);
  }
  expect(worstScore).toBeLessThan(TOLERANCE);
  expect(worstDecision).toBeLessThan(TOLERANCE);
  await scorer.release();
}

describe('OnnxScorer agrees with referenceScore within 1e-5', () => {
  
  it('on random data, for training and unseen rows, with 1 and 2 threads', async () => {
    const training = randomMatrix(2000, 12, 1, gaussian);
    const model = trainIsolationForest(training, { contamination: 0.02, seed: 9 });
    await expectParity(model, training, 1);
    await expectParity(model, randomMatrix(3000, 12, 2, (r) => gaussian(r) * 3), 2);
  });

  it('on heavy ties: small-integer columns where most rows are duplicates', async () => {
    const matrix = randomMatrix(1500, 6, 3, (r) => r.nextInt(3));
    await expectParity(trainIsolationForest(matrix, { contamination: 0.1 }), matrix);
  });

  it('on constant columns and rows lying exactly on split thresholds', async () => {
    const training = randomMatrix(800, 5, 4, (r, col) => (col % 2 === 0 ? 7 : r.nextDouble() * 10));
    const model = trainIsolationForest(training, { seed: 5 });
    await expectParity(model, training);
    await expectParity(model, onThresholdRows(model, 7));
  });

  it('on NaN and ±Infinity, which both scorers route as documented: NaN and +Infinity right, −Infinity left', async () => {
    const training = randomMatrix(500, 3, 6, gaussian);
    const model = trainIsolationForest(training);
    await expectParity(model, NON_FINITE_ROWS_3);
    const allNaN = referenceScore(model, featureMatrix(Float32Array.from([NaN, NaN, NaN]), 3));
    const allPlusInf = referenceScore(model, featureMatrix(Float32Array.from([Infinity, Infinity, Infinity]), 3));
    expect(allNaN.scoreSamples[0]).toBe(allPlusInf.scoreSamples[0]);
  });
});

describe('OnnxScorer', () => {
  it('reuses one session across batches of any size, including a single row and an empty batch', async () => {
    const training = randomMatrix(600, 4, 7, (r) => r.nextDouble());
    const model = trainIsolationForest(training);
    const scorer = await scorerFor(model);
    const whole = await scorer.score(training);
    const one = await scorer.score(featureMatrix(training.data.subarray(4 * 10, 4 * 11), 4));
    expect(one.scoreSamples[0]).toBe(whole.scoreSamples[10]);
    expect((await scorer.score(featureMatrix(new Float32Array(0), 4))).scoreSamples).toHaveLength(0);
    expect(scorer.metadata.modelName).toBe('parity');
    await scorer.release();
  });

  it('scores a batch across threads like one thread (within float32 summation order), for any row count', async () => {
    const training = randomMatrix(1000, 4, 10, (r) => r.nextDouble() * 50);
    const model = trainIsolationForest(training, { seed: 2 });
    const bytes = exportOnnx(model, identitySpec(4), { modelName: 'split', modelVersion: '1' });
    const single = await OnnxScorer.create(bytes);
    const whole = await single.score(training);
    for (const threads of [2, 3]) {
      const split = await OnnxScorer.create(bytes, { threads, parallelFromRows: 1 });
      for (const rows of [1, 2, 5, 1000]) {
        const scores = await split.score(featureMatrix(training.data.subarray(0, rows * 4), 4));
        // Threads sum partial path lengths over disjoint tree subsets, so only the rounding may differ.
        for (let i = 0; i < rows; i++) {
          expect(Math.abs(scores.scoreSamples[i] - whole.scoreSamples[i])).toBeLessThan(TOLERANCE);
          expect(Math.abs(scores.decision[i] - whole.decision[i])).toBeLessThan(TOLERANCE);
        }
      }
      await split.release();
    }
    await single.release();
  });

  it('rejects a matrix with the wrong number of columns and non-positive thread counts', async () => {
    const model = trainIsolationForest(randomMatrix(300, 4, 8, (r) => r.nextDouble()), { nEstimators: 3 });
    const scorer = await scorerFor(model);
    await expect(scorer.score(featureMatrix(new Float32Array(6), 3))).rejects.toThrow(/expects 4/);
    await expect(scorerFor(model, 0)).rejects.toThrow(/threads/);
    await scorer.release();
  });
});

describe('OnnxScorer with threads > 1', () => {
  const cols = 5;
  const unseen = randomMatrix(100_003, cols, 2, (r, col) => (r.nextDouble() - 0.5) * (1 + col * 40));
  const head = (rows: number): FeatureMatrix => featureMatrix(unseen.data.subarray(0, rows * cols), cols);
  const bytes = exportOnnx(trainIsolationForest(randomMatrix(4000, cols, 1, (r, col) => (r.nextDouble() - 0.5) * (1 + col * 40)), { seed: 3 }), identitySpec(cols), {
    modelName: 'pool',
    modelVersion: '1',
  });
  const expectClose = (actual: Float32Array, expected: Float32Array): void => {
    expect(actual).toHaveLength(expected.length);
    let worst = 0;
    for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    expect(worst).toBeLessThan(TOLERANCE);
  };

  it.each([2, 3, 4])('sends large batches to %i threads and small ones to the in-thread session, with the same scores', async (threads) => {
    const single = await OnnxScorer.create(bytes);
    const pooled = await OnnxScorer.create(bytes, { threads });
    for (const rows of [7, 2047, 2048, 2049, 100_003]) {
      const expected = await single.score(head(rows));
      const scores = await pooled.score(head(rows));
      expectClose(scores.scoreSamples, expected.scoreSamples);
      expectClose(scores.decision, expected.decision);
      expect(scores.labels).toEqual(expected.labels);
    }
    await single.release();
    await pooled.release();
  });

  it("answers concurrent batches each with its own rows, and leaves the caller's rows intact", async () => {
    const single = await OnnxScorer.create(bytes);
    const pooled = await OnnxScorer.create(bytes, { threads: 2, parallelFromRows: 1 });
    const before = Float32Array.from(head(5000).data);
    const other = featureMatrix(unseen.data.subarray(cols * 5000, cols * 8001), cols);
    const [a, b] = await Promise.all([pooled.score(head(5000)), pooled.score(other)]);
    expectClose(a.decision, (await single.score(head(5000))).decision);
    expectClose(b.decision, (await single.score(other)).decision);
    expect(head(5000).data).toEqual(before);
    await single.release();
    await pooled.release();
  });

  it('turns a worker that dies mid-batch into an error for that batch and every later one, not a hang', async () => {
    const scorer = await OnnxScorer.create(bytes, { threads: 2, parallelFromRows: 1 }, join(__dirname, '../../fixtures/workers/exits-on-first-batch.js'));
    await expect(scorer.score(head(100))).rejects.toThrow(/scoring worker exited unexpectedly \(code 7\)/);
    await expect(scorer.score(head(100))).rejects.toThrow(/exited unexpectedly/);
    await scorer.release();
  });

  it('rejects bytes that are not a model, or a model onnxruntime cannot load, with a clear error', async () => {
    await expect(OnnxScorer.create(new Uint8Array([0xff, 0xff, 0xff]), { threads: 2 })).rejects.toThrow(/model bytes are not a readable ONNX model \(3 bytes\)/);
    // Valid flowsentry metadata around a broken graph: the reason comes from onnxruntime itself.
    const broken = Uint8Array.from(bytes);
    const at = Buffer.from(broken).indexOf('TreeEnsembleRegressor');
    broken.set(Buffer.from('TreeEnsembleRegressoX'), at);
    await expect(OnnxScorer.create(broken, { threads: 2 })).rejects.toThrow(/onnxruntime could not load the model: .+/);
  });
});
