import { chunkBySize, messageBytes } from './request-chunks';

describe('chunkBySize', () => {
  const size = (s: string) => s.length;

  it('keeps order and puts as many items in a chunk as fit', () => {
    expect(chunkBySize(['aaa', 'bb', 'c', 'dddd', 'e'], size, 5)).toEqual([['aaa', 'bb'], ['c', 'dddd'], ['e']]);
  });

  it('sends an item larger than the limit alone rather than dropping it', () => {
    expect(chunkBySize(['a', 'xxxxxxxx', 'b'], size, 4)).toEqual([['a'], ['xxxxxxxx'], ['b']]);
  });

  it('returns no chunk for no items, and one chunk when everything fits', () => {
    expect(chunkBySize([], size, 10)).toEqual([]);
    expect(chunkBySize(['a', 'b'], size, 10)).toEqual([['a', 'b']]);
  });

  it('never loses or duplicates an item', () => {
    const items = Array.from({ length: 500 }, (_, i) => 'x'.repeat((i * 37) % 101));
    const chunks = chunkBySize(items, size, 300);
    expect(chunks.flat()).toEqual(items);
    for (const chunk of chunks) if (chunk.length > 1) expect(chunk.reduce((n, s) => n + s.length, 0)).toBeLessThanOrEqual(300);
  });
});

describe('messageBytes', () => {
  it('counts key, value and headers in UTF-8 bytes', () => {
    expect(messageBytes({ key: 'k', value: 'é', headers: { h: 'v', skip: undefined } })).toBe(1 + 2 + 2 + 4);
    expect(messageBytes({ key: null, value: Buffer.alloc(10) })).toBe(10);
  });
});
