import { gaussian, randomMatrix } from '../../fixtures/scoring-data';
import { featureMatrix } from '../features/feature-matrix';
import { kNearest, neighborIndex } from './nearest-neighbors';
import { scoreLocalOutlierFactor } from './score-local-outlier-factor';
import { trainLocalOutlierFactor } from './train-local-outlier-factor';

const column = (values: number[]) => featureMatrix(Float32Array.from(values), 1);

describe('trainLocalOutlierFactor / scoreLocalOutlierFactor', () => {
  it('computes k-distances, densities and scores by the definition on a small 1-D example (k = 2)', () => {
    // Points 0, 1, 2, 10. 2-NN: 0→{1,2}, 1→{0,2}, 2→{1,0}, 10→{2,1}; k-distances 2, 1, 2, 9.
    const model = trainLocalOutlierFactor(column([0, 1, 2, 10]), { nNeighbors: 2 });
    expect(Array.from(model.kDistance)).toEqual([2, 1, 2, 9]);
    // lrd(0) = 1 / (mean(max(1, kd(1)=1), max(2, kd(2)=2)) + 1e-10)
    expect(model.lrd[0]).toBeCloseTo(1 / (1.5 + 1e-10), 12);
    expect(model.lrd[3]).toBeCloseTo(1 / ((8 + 9) / 2 + 1e-10), 12);
    // A query at 5: neighbours 2 (d 3) and 1 (d 4) (10 is at 5): reach max(3, 2), max(4, 1) → mean 3.5.
    const score = scoreLocalOutlierFactor(model, column([5])).scoreSamples[0];
    expect(score).toBeCloseTo(-((model.lrd[2] + model.lrd[1]) / 2) * (3.5 + 1e-10), 12);
  });

  it('caps n_neighbors at training rows − 1, as sklearn', () => {
    expect(trainLocalOutlierFactor(column([1, 2, 4]), { nNeighbors: 20 }).params.nNeighbors).toBe(2);
  });

  it('breaks exact distance ties by the lower training index', () => {
    const rows = Float64Array.from([-1, 1, -1, 1]); // query 0 is at distance 1 from all four
    const index = new Int32Array(2);
    kNearest(neighborIndex(rows, 1), Float64Array.of(0), 0, 2, -1, index, new Float64Array(2), new Float64Array(2));
    expect(Array.from(index)).toEqual([0, 1]);
  });

  it('takes the offset from the training rows’ own scores for a contamination (higher for more), −1.5 for auto', () => {
    const rows = randomMatrix(1000, 3, 1, gaussian);
    const model = trainLocalOutlierFactor(rows, { contamination: 0.05 });
    expect(model.offset).toBeLessThan(-1);
    expect(trainLocalOutlierFactor(rows, { contamination: 0.3 }).offset).toBeGreaterThan(model.offset);
    const own = trainLocalOutlierFactor(rows, { contamination: 'auto' });
    expect(own.offset).toBe(-1.5);
    expect(Array.from(own.lrd)).toEqual(Array.from(model.lrd));
  });

  it('refuses non-finite training values; scores a non-finite row NaN without touching the others', () => {
    expect(() => trainLocalOutlierFactor(column([1, NaN, 3]))).toThrow(/non-finite value at row 1/);
    const model = trainLocalOutlierFactor(randomMatrix(50, 1, 2, gaussian));
    const scores = scoreLocalOutlierFactor(model, column([0, NaN, Infinity, 1]));
    expect(Number.isNaN(scores.scoreSamples[1]) && Number.isNaN(scores.scoreSamples[2])).toBe(true);
    expect(scores.scoreSamples[3]).toBe(scoreLocalOutlierFactor(model, column([1])).scoreSamples[0]);
  });

  it('is deterministic for a seed when subsampling, and another seed keeps other rows', () => {
    const rows = randomMatrix(3000, 4, 3, gaussian);
    const a = trainLocalOutlierFactor(rows, { maxSamples: 500, seed: 1 });
    expect(a.params.maxSamples).toBe(500);
    expect(Array.from(trainLocalOutlierFactor(rows, { maxSamples: 500, seed: 1 }).training)).toEqual(Array.from(a.training));
    expect(Array.from(trainLocalOutlierFactor(rows, { maxSamples: 500, seed: 2 }).training)).not.toEqual(Array.from(a.training));
  });

  it('with standard scaling, scores as the unscaled model does on pre-standardised columns', () => {
    const rows = randomMatrix(400, 2, 4, (r, col) => (col === 0 ? gaussian(r) * 1000 : gaussian(r) / 1000));
    const scaled = trainLocalOutlierFactor(rows, { scaling: 'standard' });
    const { mean, scale } = scaled.scaling!;
    const standardised = featureMatrix(Float32Array.from(rows.data, (v, i) => (v - mean[i % 2]) / scale[i % 2]), 2);
    const plain = trainLocalOutlierFactor(standardised);
    const a = scoreLocalOutlierFactor(scaled, rows).scoreSamples;
    const b = scoreLocalOutlierFactor(plain, standardised).scoreSamples;
    // float32 rounding of the pre-standardised copy is the only difference.
    a.forEach((s, i) => expect(Math.abs(s - b[i])).toBeLessThan(1e-4 * Math.abs(s)));
  });
});
