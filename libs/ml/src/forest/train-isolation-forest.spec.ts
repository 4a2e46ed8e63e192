import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { averagePathLength } from './average-path-length';
import { IsolationForestModel } from './isolation-forest-model';
import { serializeIsolationForest } from './model-json';
import { SeededRandom } from './seeded-random';
import { trainIsolationForest } from './train-isolation-forest';
import { referenceScore } from '../scoring/reference-score';

function gaussianMatrix(rows: number, cols: number, seed: number): FeatureMatrix {
  const random = new SeededRandom(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
  return featureMatrix(data, cols);
}

/** Walks every tree and reports each leaf with its depth. */
function leaves(model: IsolationForestModel, tree: number): { depth: number; node: number }[] {
  const out: { depth: number; node: number }[] = [];
  const visit = (node: number, depth: number): void => {
    if (model.nodes.feature[node] < 0) out.push({ depth, node });
    else {
      visit(model.nodes.left[node], depth + 1);
      visit(model.nodes.right[node], depth + 1);
    }
  };
  visit(model.treeRoots[tree], 0);
  return out;
}

describe('trainIsolationForest', () => {
  const matrix = gaussianMatrix(1000, 4, 3);

  it("uses sklearn's defaults: 100 trees, max_samples = min(256, n), all features, no bootstrap, offset −0.5", () => {
    const model = trainIsolationForest(matrix);
    expect(model.params).toMatchObject({ nEstimators: 100, maxSamples: 256, maxFeatures: 4, bootstrap: false, contamination: 'auto', maxDepth: 8 });
    expect(model.treeRoots).toHaveLength(100);
    expect(model.offset).toBe(-0.5);
    expect(trainIsolationForest(gaussianMatrix(100, 2, 1)).params.maxSamples).toBe(100);
  });

  it('resolves max_samples given as a count or a fraction, and max_features as a fraction of columns', () => {
    expect(trainIsolationForest(matrix, { maxSamples: 64 }).params).toMatchObject({ maxSamples: 64, maxDepth: 6 });
    expect(trainIsolationForest(matrix, { maxSamples: 5000 }).params.maxSamples).toBe(1000);
    expect(trainIsolationForest(matrix, { maxSamples: 0.5 }).params).toMatchObject({ maxSamples: 500, maxDepth: 9 });
    expect(trainIsolationForest(matrix, { maxFeatures: 0.5 }).params.maxFeatures).toBe(2);
  });

  it('partitions every tree’s subsample into leaves no deeper than ceil(log2(max_samples))', () => {
    const model = trainIsolationForest(matrix, { nEstimators: 10 });
    for (let t = 0; t < 10; t++) {
      const treeLeaves = leaves(model, t);
      expect(treeLeaves.reduce((sum, leaf) => sum + model.nodes.size[leaf.node], 0)).toBe(256);
      for (const leaf of treeLeaves) expect(leaf.depth).toBeLessThanOrEqual(8);
    }
  });

  it('credits each leaf with depth + c(leaf size) for the subtree it did not grow', () => {
    const model = trainIsolationForest(matrix, { nEstimators: 5 });
    for (let t = 0; t < 5; t++) {
      for (const { depth, node } of leaves(model, t)) {
        expect(model.nodes.pathLength[node]).toBeCloseTo(depth + averagePathLength(model.nodes.size[node]), 12);
      }
    }
  });

  it('splits strictly inside the node range so both children are non-empty, with float32 thresholds', () => {
    const model = trainIsolationForest(matrix, { nEstimators: 5 });
    const { feature, left, right, size, threshold } = model.nodes;
    for (let i = 0; i < feature.length; i++) {
      if (feature[i] < 0) continue;
      expect(size[left[i]]).toBeGreaterThan(0);
      expect(size[right[i]]).toBeGreaterThan(0);
      expect(size[left[i]] + size[right[i]]).toBe(size[i]);
      expect(Math.fround(threshold[i])).toBe(threshold[i]);
    }
  });

  it('never splits on a constant column and stops at leaves of identical rows', () => {
    const data = new Float32Array(300 * 3);
    for (let r = 0; r < 300; r++) {
      data[r * 3] = 5; // constant
      data[r * 3 + 1] = r % 3; // three values only: many duplicate rows
      data[r * 3 + 2] = 1;
    }
    const model = trainIsolationForest(featureMatrix(data, 3), { nEstimators: 20 });
    const used = new Set(Array.from(model.nodes.feature).filter((f) => f >= 0));
    expect([...used]).toEqual([1]);
    for (let t = 0; t < 20; t++) expect(leaves(model, t).every(({ depth }) => depth <= 2)).toBe(true);
  });

  it('restricts each tree to max_features columns drawn per tree', () => {
    const model = trainIsolationForest(gaussianMatrix(500, 6, 9), { nEstimators: 20, maxFeatures: 0.5 });
    for (let t = 0; t < 20; t++) {
      const end = t + 1 < 20 ? model.treeRoots[t + 1] : model.nodes.feature.length;
      const used = new Set(Array.from(model.nodes.feature.subarray(model.treeRoots[t], end)).filter((f) => f >= 0));
      expect(used.size).toBeLessThanOrEqual(3);
    }
  });

  it('with bootstrap draws rows with replacement, so leaves can hold repeated rows', () => {
    const model = trainIsolationForest(gaussianMatrix(300, 2, 5), { nEstimators: 20, bootstrap: true });
    const leafSizes = Array.from(model.nodes.size).filter((_, i) => model.nodes.feature[i] < 0);
    expect(model.params.bootstrap).toBe(true);
    expect(Math.max(...leafSizes)).toBeGreaterThan(1);
  });

  it('sets the offset to the contamination percentile of training scores, so that share is labelled outlier', () => {
    const model = trainIsolationForest(matrix, { contamination: 0.1 });
    const { labels } = referenceScore(model, matrix);
    const outliers = labels.filter((l) => l === -1).length;
    expect(outliers).toBeGreaterThanOrEqual(99);
    expect(outliers).toBeLessThanOrEqual(101);
    expect(model.offset).toBeLessThan(-0.4);
  });

  it('gives byte-identical model JSON for the same data and seed, and a different forest for another seed', () => {
    const a = serializeIsolationForest(trainIsolationForest(matrix, { seed: 11, contamination: 0.05 }));
    const b = serializeIsolationForest(trainIsolationForest(gaussianMatrix(1000, 4, 3), { seed: 11, contamination: 0.05 }));
    expect(b).toBe(a);
    expect(serializeIsolationForest(trainIsolationForest(matrix, { seed: 12, contamination: 0.05 }))).not.toBe(a);
  });

  it('scores an isolated point as more anomalous than the bulk', () => {
    const data = Float32Array.from(gaussianMatrix(500, 2, 4).data);
    data.set([8, -8], 0);
    const m = featureMatrix(data, 2);
    const { scoreSamples, labels } = referenceScore(trainIsolationForest(m), m);
    expect(scoreSamples[0]).toBeLessThan(-0.65);
    expect(labels[0]).toBe(-1);
    expect(Math.min(...scoreSamples.subarray(1))).toBeGreaterThan(scoreSamples[0]);
  });

  it('rejects NaN or infinite training values, too few rows and out-of-range options', () => {
    const bad = Float32Array.from(matrix.data);
    bad[7] = NaN;
    expect(() => trainIsolationForest(featureMatrix(bad, 4))).toThrow(/non-finite value at row 1, column 3/);
    expect(() => trainIsolationForest(featureMatrix(new Float32Array(4), 4))).toThrow(/at least 2 rows/);
    expect(() => trainIsolationForest(matrix, { contamination: 0.7 })).toThrow(/contamination/);
    expect(() => trainIsolationForest(matrix, { nEstimators: 0 })).toThrow(/nEstimators/);
    expect(() => trainIsolationForest(matrix, { maxSamples: 1 })).toThrow(/at least 2/);
  });
});
