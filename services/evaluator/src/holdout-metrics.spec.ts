import { labelsOf } from './holdout';
import { downsample, histograms, labelledMetrics, unlabelledMetrics } from './holdout-metrics';

describe('held-out labels', () => {
  it('counts a row as an attack when its label is set and is not normal or benign', () => {
    const labels = labelsOf({ rowCount: 6, names: ['label'], columns: [['normal', 'portscan', null, 'BENIGN', '', 'synflood']] });
    expect(Array.from(labels.positive)).toEqual([0, 1, 0, 0, 0, 1]);
    expect(labels.attackTypes).toEqual({ portscan: 1, synflood: 1 });
    expect(labels.labelled).toBe(true);
  });

  it('is unlabelled when no row is an attack (production traffic, or a quiet window)', () => {
    expect(labelsOf({ rowCount: 3, names: ['label'], columns: [[null, null, null]] }).labelled).toBe(false);
    expect(labelsOf({ rowCount: 2, names: ['label'], columns: [['normal', 'normal']] }).labelled).toBe(false);
  });
});

describe('held-out metrics', () => {
  const labels = labelsOf({ rowCount: 8, names: ['label'], columns: [['portscan', 'normal', 'beaconing', 'normal', 'normal', 'portscan', 'normal', 'normal']] });
  const scores = { anomaly: Float64Array.from([0.9, 0.8, 0.7, 0.7, 0.4, 0.3, 0.2, 0.1]), threshold: 0.75 };

  it('alerts strictly above the threshold, and counts the alert rate on normal rows apart', () => {
    const m = unlabelledMetrics(scores, labels);
    expect(m.alertRate).toBe(2 / 8);
    expect(m.normalAlertRate).toBe(1 / 5);
    expect(m.normalRows).toBe(5);
    expect(m.finite).toBe(true);
    expect(unlabelledMetrics({ anomaly: Float64Array.from([0.1, NaN]), threshold: 0.5 }, labels).finite).toBe(false);
  });

  it('scores each attack type against the normal rows only', () => {
    const { metrics: m } = labelledMetrics(scores, labels, { fpr: 0.2, topK: 2 });
    expect(m.rocAuc).toBeCloseTo((5 + 3.5 + 2) / 15, 12);
    expect(m.precisionAtK).toBe(0.5);
    // portscan at 0.9 and 0.3 against normals 0.8, 0.7, 0.4, 0.2, 0.1: 5 + 2 of 10 pairs
    expect(m.perAttack.portscan).toMatchObject({ rows: 2, rocAuc: 0.7 });
    // beaconing at 0.7: beats 0.4, 0.2, 0.1, ties 0.7
    expect(m.perAttack.beaconing!.rocAuc).toBeCloseTo(3.5 / 5, 12);
    expect(m.atThreshold).toEqual({ recall: 1 / 3, precision: 0.5, fpr: 1 / 5 });
  });

  it('downsamples a curve to at most the asked points, keeping both ends', () => {
    const xs = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const points = downsample(xs, xs, 200);
    expect(points).toHaveLength(200);
    expect(points[0]).toEqual([0, 0]);
    expect(points.at(-1)).toEqual([1, 1]);
  });

  it('bins two models on shared edges', () => {
    const { edges, counts } = histograms([Float64Array.from([0, 0.5, 1]), Float64Array.from([0.25, 1, 1])], 4);
    expect(edges).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(counts).toEqual([
      [1, 0, 1, 1],
      [0, 1, 0, 2],
    ]);
  });
});
