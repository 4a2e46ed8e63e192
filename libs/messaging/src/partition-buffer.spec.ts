import { ConsumedMessage } from './consumed-message';
import { PartitionBuffer } from './partition-buffer';

const msg = (offset: number, bytes = 10): ConsumedMessage => ({ topic: 't', partition: 0, offset: String(offset), key: null, value: Buffer.alloc(bytes), headers: {}, timestamp: '0' });

describe('PartitionBuffer', () => {
  const limits = { maxCount: 3, maxBytes: 100, maxWaitMs: 1000 };

  it('is due by count, then by bytes, then by time, whichever limit is reached first', () => {
    const b = new PartitionBuffer('t', 0, limits);
    b.add(msg(0), 0);
    b.add(msg(1), 0);
    expect(b.dueBy(10)).toBeUndefined();
    b.add(msg(2), 0);
    expect(b.dueBy(10)).toBe('count');

    const big = new PartitionBuffer('t', 0, limits);
    big.add(msg(0, 120), 0);
    expect(big.dueBy(0)).toBe('bytes');

    const slow = new PartitionBuffer('t', 0, limits);
    slow.add(msg(0), 5000);
    expect(slow.dueBy(5999)).toBeUndefined();
    expect(slow.dueBy(6000)).toBe('time');
  });

  it('cuts a planned batch exactly at the recorded end, ignoring the limits', () => {
    const b = new PartitionBuffer('t', 0, limits);
    b.planned = { firstOffset: '10', lastOffset: '14' };
    for (let o = 10; o < 14; o++) b.add(msg(o), 0);
    expect(b.dueBy(1e9)).toBeUndefined();
    b.add(msg(14), 0);
    expect(b.dueBy(0)).toBe('planned');
  });

  it('recognises a rewind when the client re-delivers offsets it already buffered', () => {
    const b = new PartitionBuffer('t', 0, limits);
    b.add(msg(5), 0);
    b.add(msg(6), 0);
    expect(b.isRewind(msg(6))).toBe(true);
    expect(b.isRewind(msg(3))).toBe(true);
    expect(b.isRewind(msg(7))).toBe(false);
  });

  it('hands over its messages and starts empty', () => {
    const b = new PartitionBuffer('t', 0, limits);
    b.add(msg(0), 0);
    const batch = b.take('drain');
    expect(batch).toMatchObject({ topic: 't', partition: 0, bytes: 10, trigger: 'drain' });
    expect(batch.messages).toHaveLength(1);
    expect(b.isEmpty).toBe(true);
    expect(b.dueBy(1e9)).toBeUndefined();
  });
});
