import { watermarkOf, withDataset } from './event-time-watermark';

const H = 3_600_000;

describe('watermarkOf', () => {
  const onRecord = [
    { stream: 'n/0', start: 0, end: 10 * H },
    { stream: 'n/1', start: H, end: 7 * H },
    { stream: 'n/2', start: 0, end: 9 * H },
  ];

  it('is the end of the stream furthest behind, which it names', () => {
    expect(watermarkOf(onRecord, [], 0)).toEqual({ at: 7 * H, heldBy: 'n/1', idle: [] });
  });

  it('waits for an expected stream with nothing on record yet: it has reached only the start of the data', () => {
    expect(watermarkOf(onRecord, ['n/0', 'n/1', 'n/2', 'n/3'], 0)).toEqual({ at: -1, heldBy: 'n/3', idle: [] });
  });

  it('leaves out a stream more than the idle span behind the newest, and says so', () => {
    expect(watermarkOf(onRecord, [], 2 * H)).toEqual({ at: 9 * H, heldBy: 'n/2', idle: ['n/1'] });
    // Exactly the span behind still counts: only a longer silence is idleness.
    expect(watermarkOf(onRecord, [], 3 * H)).toEqual({ at: 7 * H, heldBy: 'n/1', idle: [] });
    // An expected stream that never delivered is idle once the data on record spans more than that.
    expect(watermarkOf(onRecord, ['n/3'], 3 * H)).toEqual({ at: 7 * H, heldBy: 'n/1', idle: ['n/3'] });
  });

  it('has none before any stream is on record', () => {
    expect(watermarkOf([], ['n/0'], 0)).toBeUndefined();
  });

  it('breaks a tie by stream name, so the reason it gives does not depend on row order', () => {
    expect(watermarkOf([{ stream: 'n/9', start: 0, end: H }, { stream: 'n/3', start: 0, end: H }], [], 0)!.heldBy).toBe('n/3');
  });
});

describe('withDataset', () => {
  it('counts a dataset in hand: a new stream, or a stream widened but never narrowed', () => {
    const onRecord = [{ stream: 'n/0', start: 2, end: 5 }];
    expect(withDataset(onRecord, { stream: 'n/1', start: 1, end: 3 })).toEqual([...onRecord, { stream: 'n/1', start: 1, end: 3 }]);
    expect(withDataset(onRecord, { stream: 'n/0', start: 6, end: 8 })).toEqual([{ stream: 'n/0', start: 2, end: 8 }]);
    expect(withDataset(onRecord, { stream: 'n/0', start: 1, end: 2 })).toEqual([{ stream: 'n/0', start: 1, end: 5 }]);
  });
});
