import os from 'node:os';
import { FeaturePipeline } from '../../libs/ml/src/features';
import { trainIsolationForest } from '../../libs/ml/src/forest';
import { exportOnnx } from '../../libs/ml/src/onnx';
import { ForestKernel } from '../../libs/ml/src/scoring/kernel/forest-kernel';
import { KernelShape } from '../../libs/ml/src/scoring/kernel/forest-kernel-module';
import { perfectForestFromOnnx } from '../../libs/ml/src/scoring/kernel/perfect-forest';
import { producerFlows } from './producer-flows';

/**
 * Evidence behind DEFAULT_KERNEL_SHAPE: one thread's rows/s of the forest kernel's walk alone (no copies,
 * no score arithmetic) on 65,536 rows of producer traffic (100 trees, 17 features), for each number of
 * side-by-side walkers and rows per chunk. Each shape runs for `seconds` and reports the median and best
 * walk, since this shared machine's speed drifts from second to second.
 * Usage: node --import tsx bench/ml/kernel-shapes.ts [seconds=3]   (only on a quiet machine)
 */
const ROWS = 65_536;
const SECONDS = Number(process.argv[2] ?? 3);

function main(): void {
  const flows = producerFlows(ROWS);
  const pipeline = FeaturePipeline.fit(flows);
  const matrix = pipeline.transform(flows);
  const forest = perfectForestFromOnnx(exportOnnx(trainIsolationForest(matrix, { seed: 0 }), pipeline.spec, { modelName: 'shapes', modelVersion: '1' }));
  console.log(`${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${forest.trees} trees padded to depth ${forest.depth}; ${ROWS} rows per walk\n`);
  console.log('walkers  chunk rows   median rows/s     best rows/s');
  const shapes: KernelShape[] = [1, 2, 4, 8, 16].map((walkers) => ({ walkers, chunkRows: 256 }));
  shapes.push({ walkers: 8, chunkRows: 64 }, { walkers: 8, chunkRows: 1024 }, { walkers: 8, chunkRows: ROWS });
  for (const shape of shapes) {
    const kernel = ForestKernel.create(forest, ROWS, shape);
    kernel.load(matrix.data, ROWS);
    for (let i = 0; i < 3; i++) kernel.walk(0, ROWS); // tier-up to optimised code
    const rates: number[] = [];
    const until = performance.now() + SECONDS * 1000;
    while (performance.now() < until) {
      const start = performance.now();
      kernel.walk(0, ROWS);
      rates.push(ROWS / ((performance.now() - start) / 1000));
    }
    rates.sort((a, b) => a - b);
    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(15);
    console.log(`${String(shape.walkers).padStart(7)} ${String(shape.chunkRows).padStart(11)} ${fmt(rates[rates.length >> 1])} ${fmt(rates[rates.length - 1])}`);
  }
}

main();
