import { planReplay } from './replay-plan';

const offsets = [
  { partition: 0, low: '0', high: '400' },
  { partition: 1, low: '100', high: '900' },
];

describe('planReplay', () => {
  it('rewinds every partition to its earliest retained offset', () => {
    expect(planReplay({ mode: 'earliest' }, offsets)).toEqual([
      { partition: 0, offset: '0' },
      { partition: 1, offset: '100' },
    ]);
  });

  it('clamps an offset into each partition’s retained range', () => {
    expect(planReplay({ mode: 'offset', offset: '500' }, offsets)).toEqual([
      { partition: 0, offset: '400' },
      { partition: 1, offset: '500' },
    ]);
    expect(planReplay({ mode: 'offset', offset: '5' }, offsets, undefined, 1)).toEqual([{ partition: 1, offset: '100' }]);
  });

  it('uses the broker’s offsets for a time and starts at the end where nothing is that recent', () => {
    const atTime = [
      { partition: 0, offset: '120' },
      { partition: 1, offset: '-1' },
    ];
    expect(planReplay({ mode: 'time', time: new Date() }, offsets, atTime)).toEqual([
      { partition: 0, offset: '120' },
      { partition: 1, offset: '900' },
    ]);
  });
});
