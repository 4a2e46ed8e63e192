import { mulberry32, normalSampler } from './prng';
import { scoreDrift } from './score-drift';

const scores = (seed: number, n: number, shift = 0, scale = 1) => {
  const normal = normalSampler(mulberry32(seed));
  return Float64Array.from({ length: n }, () => 0.4 + 0.05 * (shift + scale * normal()));
};

describe('scoreDrift on model score distributions', () => {
  const reference = scores(1, 5000);

  it('reports a stable score distribution as stable', () => {
    const r = scoreDrift(reference, scores(2, 1000));
    expect(r).toMatchObject({ status: 'tested', drifted: false, severity: 'stable' });
    expect(r.ks!.method).toBe('exact');
  });

  it('flags a shift of one score standard deviation by PSI and KS', () => {
    const r = scoreDrift(reference, scores(3, 1000, 1));
    expect(r).toMatchObject({ drifted: true, severity: 'major', ksDrifted: true });
  });

  it('gives no verdict on fewer than 100 batch scores', () => {
    expect(scoreDrift(reference, scores(4, 50, 3))).toEqual({ status: 'insufficient_data', drifted: false });
  });
});
