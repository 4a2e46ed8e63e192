import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import os from 'node:os';
import { join } from 'node:path';
import { FeaturePipeline, featureMatrix, FeatureMatrix } from '../../libs/ml/src/features';
import { trainIsolationForest } from '../../libs/ml/src/forest';
import { exportOnnx } from '../../libs/ml/src/onnx';
import { OnnxScorer, referenceScore } from '../../libs/ml/src/scoring';
import { producerFlows } from './producer-flows';

/**
 * libs/ml benchmark: training time and scoring throughput (onnxruntime on 1 and 2 threads, TS reference) on
 * 1M events of the traffic producer through the default 17-feature pipeline, next to scikit-learn on the
 * same matrix.
 * Usage: bench/ml/run.sh [rows]   (the venv python comes from FLOWSENTRY_PYTHON)
 */
const ROWS = Number(process.argv[2] ?? 1_000_000);
const BATCHES = [1, 1024, 100_000];
const python = process.env.FLOWSENTRY_PYTHON;

function bestOf(repeats: number, fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    fn();
    best = Math.min(best, performance.now() - start);
  }
  return best / 1000;
}

async function bestOfAsync(repeats: number, fn: () => Promise<void>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best / 1000;
}

function head(matrix: FeatureMatrix, rows: number): FeatureMatrix {
  return featureMatrix(matrix.data.subarray(0, rows * matrix.cols), matrix.cols);
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const flows = producerFlows(ROWS);
  const pipeline = FeaturePipeline.fit(flows);
  let matrix = pipeline.transform(flows.slice(0, 1));
  const transformS = bestOf(1, () => {
    matrix = pipeline.transform(flows);
  });
  console.log(`data: ${fmt(ROWS)} producer events → ${matrix.cols} features; pipeline transform ${transformS.toFixed(2)} s (${fmt(ROWS / transformS)} rows/s)`);

  trainIsolationForest(head(matrix, 10_000)); // JIT warm-up
  const trainAutoS = bestOf(3, () => trainIsolationForest(matrix, { seed: 0 }));
  const trainContaminationS = bestOf(1, () => trainIsolationForest(matrix, { seed: 0, contamination: 0.01 }));
  const model = trainIsolationForest(matrix, { seed: 0 });
  const exportStart = performance.now();
  const onnxBytes = exportOnnx(model, pipeline.spec, { modelName: 'bench', modelVersion: '1' });
  const exportS = (performance.now() - exportStart) / 1000;

  const ours: Record<string, Record<number, number> & { strategy?: string }> = {};
  // Strategy per row: 1 thr = one single-threaded session on the calling thread; 2 thr = the same for
  // batches under 2,048 rows, and 2 worker threads each scoring half of the rows for larger ones.
  const strategy: Record<number, string> = { 1: 'in-thread session', 2: 'in-thread session < 2,048 rows; above, rows split between the calling thread and 1 worker' };
  for (const threads of [1, 2]) {
    const scorer = await OnnxScorer.create(onnxBytes, { threads });
    ours[`onnxruntime ${threads} thr`] = {};
    ours[`onnxruntime ${threads} thr`].strategy = strategy[threads];
    for (const batch of BATCHES) {
      const input = head(matrix, batch);
      const calls = Math.max(3, Math.round(200_000 / batch));
      await scorer.score(input);
      const seconds = await bestOfAsync(3, async () => {
        for (let i = 0; i < calls; i++) await scorer.score(input);
      });
      ours[`onnxruntime ${threads} thr`][batch] = (batch * calls) / seconds;
    }
    await scorer.release();
  }
  ours['TS reference 1 thr'] = { strategy: 'TypeScript tree walk, calling thread' };
  for (const batch of BATCHES) {
    const input = head(matrix, batch);
    const calls = Math.max(3, Math.round(100_000 / batch));
    ours['TS reference 1 thr'][batch] = (batch * calls) / bestOf(3, () => {
      for (let i = 0; i < calls; i++) referenceScore(model, input);
    });
  }

  const sklearn: Record<string, { fit_s: number; rows_per_s: Record<string, number>; sklearn: string }> = {};
  if (python) {
    const dir = mkdtempSync(join(tmpdir(), 'flowsentry-bench-'));
    try {
      const file = join(dir, 'matrix.f32');
      writeFileSync(file, matrix.data);
      for (const jobs of [1, 2]) {
        const out = execFileSync(python, [join(__dirname, 'sklearn_bench.py'), file, String(matrix.rows), String(matrix.cols), String(jobs)], { encoding: 'utf8' });
        sklearn[`sklearn n_jobs=${jobs}`] = JSON.parse(out.trim().split('\n').pop()!);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  console.log(`\nIsolation Forest, 100 trees, max_samples 256, ${matrix.cols} features, ${fmt(ROWS)} rows, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
  console.log(`| training on ${fmt(ROWS)} rows | seconds |`);
  console.log('| --- | ---: |');
  console.log(`| flowsentry, contamination 'auto' | ${trainAutoS.toFixed(3)} |`);
  console.log(`| flowsentry, contamination 0.01 (scores all training rows for the offset) | ${trainContaminationS.toFixed(3)} |`);
  for (const [name, result] of Object.entries(sklearn)) console.log(`| ${name} (${result.sklearn}), contamination 'auto' | ${result.fit_s.toFixed(3)} |`);
  console.log(`\n| scoring, rows/s | strategy | batch 1 | batch 1,024 | batch 100,000 |`);
  console.log('| --- | --- | ---: | ---: | ---: |');
  for (const [name, perBatch] of Object.entries(ours)) console.log(`| flowsentry ${name} | ${perBatch.strategy} | ${BATCHES.map((b) => fmt(perBatch[b])).join(' | ')} |`);
  for (const [name, result] of Object.entries(sklearn)) {
    console.log(`| ${name} score_samples | scikit-learn, n_jobs as named | ${BATCHES.map((b) => fmt(result.rows_per_s[String(b)])).join(' | ')} |`);
  }
  console.log(`\nONNX export ${exportS.toFixed(3)} s, ${fmt(onnxBytes.length)} bytes, ${fmt(model.nodes.feature.length)} nodes`);
  const best = ours['onnxruntime 2 thr'][100_000];
  const skl = sklearn['sklearn n_jobs=2'] ?? sklearn['sklearn n_jobs=1'];
  console.log(`goals: scoring ≥ 400,000 rows/s on 2 threads → ${fmt(best)}; training < 2 s → ${trainAutoS.toFixed(3)} s` + (skl ? `; ≥ 3× sklearn score_samples → ${(best / skl.rows_per_s['100000']).toFixed(1)}×` : ''));
}

void main();
