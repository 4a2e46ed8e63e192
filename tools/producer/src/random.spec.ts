import { Categorical, Rng } from './random';

function sample(n: number, draw: () => number): number[] {
  return Array.from({ length: n }, draw);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Rng', () => {
  it('repeats the same stream for the same seed', () => {
    const a = new Rng('seed-1');
    const b = new Rng('seed-1');
    expect(sample(100, () => a.next())).toEqual(sample(100, () => b.next()));
  });

  it('gives a different stream for a different seed', () => {
    const a = new Rng('seed-1');
    const b = new Rng('seed-2');
    expect(sample(20, () => a.next())).not.toEqual(sample(20, () => b.next()));
  });

  it('forks independent streams that do not depend on how far the parent has advanced', () => {
    const parent = new Rng('root');
    const early = parent.fork('background');
    parent.next();
    parent.next();
    const late = parent.fork('background');
    expect(sample(10, () => early.next())).toEqual(sample(10, () => late.next()));
    expect(sample(10, () => parent.fork('a').next())).not.toEqual(sample(10, () => parent.fork('b').next()));
  });

  it('stays within [0, 1) and integers within their inclusive bounds', () => {
    const rng = new Rng('bounds');
    const uniforms = sample(10_000, () => rng.next());
    expect(uniforms.every((u) => u >= 0 && u < 1)).toBe(true);
    expect(new Set(sample(10_000, () => rng.int(3, 5)))).toEqual(new Set([3, 4, 5]));
  });

  it('draws distributions with the expected centre and support', () => {
    const rng = new Rng('dist');
    expect(mean(sample(20_000, () => rng.normal(10, 2)))).toBeCloseTo(10, 1);
    const logs = sample(20_000, () => rng.lognormal(1000, 0.5)).sort((x, y) => x - y);
    expect(logs[10_000]! / 1000).toBeGreaterThan(0.95);
    expect(logs[10_000]! / 1000).toBeLessThan(1.05);
    const pareto = sample(20_000, () => rng.pareto(100, 1.5));
    expect(Math.min(...pareto)).toBeGreaterThanOrEqual(100);
    // alpha 1.5 => mean = alpha * xm / (alpha - 1) = 300, but the tail makes the sample noisy.
    expect(mean(pareto)).toBeGreaterThan(200);
    expect(mean(sample(20_000, () => rng.poisson(4)))).toBeCloseTo(4, 1);
    expect(mean(sample(5_000, () => rng.poisson(200)))).toBeCloseTo(200, -1);
    expect(mean(sample(20_000, () => rng.exponential(2)))).toBeCloseTo(0.5, 1);
  });

  it('picks by weight and never picks a zero-weight key', () => {
    const rng = new Rng('weights');
    const counts = { a: 0, b: 0, never: 0 };
    for (let i = 0; i < 10_000; i++) counts[rng.weighted({ a: 3, b: 1, never: 0 })]++;
    expect(counts.never).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
  });
});

describe('Categorical', () => {
  it('samples in proportion to its weights', () => {
    const rng = new Rng('cat');
    const dist = new Categorical([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[dist.sample(rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.5);
  });

  it('makes a Zipf table whose first entry is the most popular', () => {
    const rng = new Rng('zipf');
    const dist = Categorical.zipf(100, 1.1);
    const counts = new Array(100).fill(0);
    for (let i = 0; i < 10_000; i++) counts[dist.sample(rng)]++;
    expect(counts[0]).toBe(Math.max(...counts));
    expect(counts[0]).toBeGreaterThan(counts[50] * 10);
  });
});
