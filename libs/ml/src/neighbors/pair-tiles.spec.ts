import { pairTiles, tileBlocks } from './pair-tiles';

describe('pairTiles', () => {
  it.each([
    [1, 1],
    [65, 1],
    [1001, 2],
    [10_000, 3],
  ])('covers every block pair J ≥ I exactly once for %i rows on %i threads, diagonal tiles first', (rows, threads) => {
    const tiles = pairTiles(rows, threads);
    expect(tiles.blocks * tiles.blockRows).toBeGreaterThanOrEqual(rows);
    expect((tiles.blocks - 1) * tiles.blockRows).toBeLessThan(rows);
    const seen = new Set<string>();
    for (let t = 0; t < tiles.count; t++) {
      const [blockI, blockJ] = tileBlocks(tiles, t);
      expect(blockJ).toBeGreaterThanOrEqual(blockI);
      expect(blockJ).toBeLessThan(tiles.blocks);
      if (t < tiles.blocks) expect(blockJ).toBe(blockI);
      seen.add(`${blockI},${blockJ}`);
    }
    expect(seen.size).toBe((tiles.blocks * (tiles.blocks + 1)) / 2);
  });

  it('refuses a tile number outside the plan', () => {
    const tiles = pairTiles(1000, 2);
    expect(() => tileBlocks(tiles, tiles.count)).toThrow(RangeError);
    expect(() => tileBlocks(tiles, -1)).toThrow(RangeError);
  });
});
