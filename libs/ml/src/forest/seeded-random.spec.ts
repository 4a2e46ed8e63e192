import { SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('replays the same stream for the same seed and a different one for another seed', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    const c = new SeededRandom(8);
    const seqA = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('draws doubles in [0, 1) and integers in [0, bound) covering the whole range', () => {
    const random = new SeededRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) {
      const d = random.nextDouble();
      expect(d >= 0 && d < 1).toBe(true);
      const k = random.nextInt(7);
      expect(k >= 0 && k < 7).toBe(true);
      seen.add(k);
    }
    expect(seen.size).toBe(7);
  });
});
