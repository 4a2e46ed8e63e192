import { TokenBucket } from './rate-limiter';

function fakeClock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('TokenBucket', () => {
  it('makes the first batch wait its share of time instead of bursting at start-up', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(100, 50, clock.now);
    expect(bucket.take(50)).toBeCloseTo(500);
  });

  it('lets a batch through without waiting once enough tokens have accrued', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(100, 50, clock.now);
    clock.advance(1000);
    expect(bucket.take(50)).toBe(0);
  });

  it('caps accrued tokens at the burst size', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(100, 50, clock.now);
    clock.advance(60_000);
    expect(bucket.take(50)).toBe(0);
    // Only 50 tokens could have been saved up, so the next 100 need a full second.
    expect(bucket.take(100)).toBeCloseTo(1000);
  });

  it('paces a batch larger than the bucket at the average rate by going into debt', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(1000, 10, clock.now);
    expect(bucket.take(5000)).toBeCloseTo(5000);
    clock.advance(5000);
    expect(bucket.take(1000)).toBeCloseTo(1000);
  });

  it('holds a sender to the target rate over many batches', () => {
    const clock = fakeClock();
    const bucket = new TokenBucket(250, 100, clock.now);
    let sent = 0;
    for (let i = 0; i < 100; i++) {
      clock.advance(bucket.take(25));
      sent += 25;
    }
    expect(sent / (clock.now() / 1000)).toBeCloseTo(250, 5);
  });

  it('rejects a non-positive rate or burst', () => {
    expect(() => new TokenBucket(0, 10)).toThrow(RangeError);
    expect(() => new TokenBucket(10, 0)).toThrow(RangeError);
  });
});
