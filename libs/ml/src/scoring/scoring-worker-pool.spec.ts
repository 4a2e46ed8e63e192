/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { FeatureSpec } from '../features/feature-spec';
import { SeededRandom } from '../forest/seeded-random';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from '../onnx/export-onnx';
import { OnnxScorer } from './onnx-scorer';
import { ScoringWorkerPool } from './scoring-worker-pool';

const TOLERANCE = 1e-5;
const COLS = 5;

function identitySpec(cols: number): FeatureSpec {
  return {
    version: 1,
    features: Array.from({ length: cols }, (_, i) => ({ kind: 'numeric' as const, name: `f${i}`, field: `f${i}`, transform: 'identity' as const, fill: 0 })),
  };
}

function randomMatrix(rows: number, seed: number): FeatureMatrix {
  const random = new SeededRandom(seed);
  const data = new Float32Array(rows * COLS);
  for (let i = 0; i < data.length; i++) data[i] = (random.nextDouble() - 0.5) * (1 + (i % COLS) * 40);
  return featureMatrix(data, COLS);
}

const bytes = exportOnnx(trainIsolationForest(randomMatrix(4000, 1), { seed: 3 }), identitySpec(COLS), { modelName: 'pool', modelVersion: '1' });
const unseen = randomMatrix(100_003, 2);
const head = (rows: number): FeatureMatrix => featureMatrix(unseen.data.subarray(0, rows * COLS), COLS);

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual).toHaveLength(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(TOLERANCE);
}

describe('ScoringWorkerPool', () => {
  let single: OnnxScorer;
  beforeAll(async () => {
    single = await OnnxScorer.create(bytes);
  });
  afterAll(() => single.release());

  it.each([1, 2, 3])('scores row slices on %i worker(s) like one in-thread session, for batches of 1, 7, 2,049 and 100,003 rows', async (size) => {
    const pool = await ScoringWorkerPool.start(bytes, size);
    try {
      for (const rows of [1, 7, 2049, 100_003]) {
        const expected = await single.score(head(rows));
        const pooled = await pool.score(head(rows));
        expectClose(pooled.scoreSamples, expected.scoreSamples);
        expectClose(pooled.decision, expected.decision);
      }
    } finally {
      await pool.release();
    }
  });

  it('answers concurrent batches each with its own rows, and leaves the caller\'s rows intact', async () => {
    const pool = await ScoringWorkerPool.start(bytes, 2);
    const before = Float32Array.from(head(5000).data);
    const [a, b] = await Promise.all([pool.score(head(5000)), pool.score(featureMatrix(unseen.data.subarray(COLS * 5000, COLS * 8001), COLS))]);
    expectClose(a.decision, (await single.score(head(5000))).decision);
    expectClose(b.decision, (await single.score(featureMatrix(unseen.data.subarray(COLS * 5000, COLS * 8001), COLS))).decision);
    expect(head(5000).data).toEqual(before);
    await pool.release();
  });

  it('terminates every worker on release, and refuses batches afterwards', async () => {
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    try {
      const pool = await ScoringWorkerPool.start(bytes, 3);
      await pool.score(head(10));
      await pool.release();
      expect(terminate).toHaveBeenCalledTimes(3);
      // terminate() resolves with the exit code once the thread has stopped.
      for (const result of terminate.mock.results) await expect(result.value).resolves.toEqual(expect.any(Number));
      await expect(pool.score(head(10))).rejects.toThrow(/released/);
    } finally {
      terminate.mockRestore();
    }
  });

  it('turns a worker that dies mid-batch into an error for that batch and every later one, not a hang', async () => {
    const pool = await ScoringWorkerPool.start(bytes, 2, join(__dirname, '../../fixtures/workers/exits-on-first-batch.js'));
    await expect(pool.score(head(100))).rejects.toThrow(/scoring worker exited unexpectedly \(code 7\)/);
    await expect(pool.score(head(100))).rejects.toThrow(/exited unexpectedly/);
    await pool.release();
  });

  it('rejects model bytes onnxruntime cannot load with the reason, and stops the workers it started', async () => {
    const terminate = jest.spyOn(Worker.prototype, 'terminate');
    try {
      await expect(ScoringWorkerPool.start(new Uint8Array([1, 2, 3, 4]), 2)).rejects.toThrow(/onnxruntime could not load the model in a scoring worker: .+/);
      expect(terminate).toHaveBeenCalledTimes(2);
    } finally {
      terminate.mockRestore();
    }
  });
});

describe('OnnxScorer with threads > 1', () => {
  it('sends large batches to the worker pool and small ones to the in-thread session, with the same scores', async () => {
    const single = await OnnxScorer.create(bytes);
    const pooled = await OnnxScorer.create(bytes, { threads: 2 });
    for (const rows of [7, 2047, 2048, 100_003]) {
      const expected = await single.score(head(rows));
      const scores = await pooled.score(head(rows));
      expectClose(scores.scoreSamples, expected.scoreSamples);
      expect(scores.labels).toEqual(expected.labels);
    }
    await single.release();
    await pooled.release();
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
