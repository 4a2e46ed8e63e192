/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { FeatureSpec } from '../features/feature-spec';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { SeededRandom } from '../forest/seeded-random';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from '../onnx/export-onnx';
import { OnnxScorer } from './onnx-scorer';
import { referenceScore } from './reference-score';

const TOLERANCE = 1e-5;

function identitySpec(cols: number): FeatureSpec {
  return {
    version: 1,
    features: Array.from({ length: cols }, (_, i) => ({ kind: 'numeric' as const, name: `f${i}`, field: `f${i}`, transform: 'identity' as const, fill: 0 })),
  };
}

function randomMatrix(rows: number, cols: number, seed: number, value: (random: SeededRandom, col: number) => number): FeatureMatrix {
  const random = new SeededRandom(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = value(random, i % cols);
  return featureMatrix(data, cols);
}

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
  const gaussian = (random: SeededRandom) => Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble()) * 100;

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
    const { feature, threshold } = model.nodes;
    const onThresholds = new Float32Array(feature.length * 5).fill(7);
    let rows = 0;
    for (let i = 0; i < feature.length; i++) {
      if (feature[i] < 0) continue;
      onThresholds[rows * 5 + feature[i]] = threshold[i];
      rows++;
    }
    await expectParity(model, training);
    await expectParity(model, featureMatrix(onThresholds.subarray(0, rows * 5), 5));
  });

  it('on NaN and ±Infinity, which both scorers route as documented: NaN and +Infinity right, −Infinity left', async () => {
    const training = randomMatrix(500, 3, 6, gaussian);
    const model = trainIsolationForest(training);
    const odd = Float32Array.from([NaN, 0, 0, 0, NaN, 0, NaN, NaN, NaN, Infinity, -Infinity, 0, -Infinity, -Infinity, -Infinity]);
    const matrix = featureMatrix(odd, 3);
    await expectParity(model, matrix);
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
