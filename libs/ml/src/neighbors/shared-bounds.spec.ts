import { SharedBounds } from './shared-bounds';

describe('SharedBounds', () => {
  it('starts unknown: tightening changes nothing', () => {
    const bounds = SharedBounds.create(3);
    const local = Float64Array.of(1, Infinity, 0);
    bounds.tighten(local, 0, 3);
    expect(Array.from(local)).toEqual([1, Infinity, 0]);
  });

  it('hands a published bound to another view of the same memory, rounded up by at most 2⁻²⁰ of itself (2⁻¹⁰⁴² if subnormal)', () => {
    const values = [0, 5e-324, 1e-300, 0.1, 1, 1 + 2 ** -40, 2 ** 20 + 0.5, 123.456, 1e300, 1.7e308];
    const bounds = SharedBounds.create(values.length);
    bounds.publish(Float64Array.from(values), 0, values.length);
    const seen = new Float64Array(values.length).fill(Infinity);
    SharedBounds.of(bounds.buffer).tighten(seen, 0, values.length);
    values.forEach((value, r) => {
      expect(seen[r]).toBeGreaterThanOrEqual(value);
      expect(seen[r] - value).toBeLessThanOrEqual(value < 2 ** -1022 ? 2 ** -1042 : value * 2 ** -20);
    });
    expect(seen[0]).toBe(0);
    expect(seen[3]).toBeGreaterThan(0.1); // 0.1's low word is not zero: rounded up, never down
  });

  it('keeps the least bound published and leaves smaller local bounds alone', () => {
    const bounds = SharedBounds.create(2);
    bounds.publish(Float64Array.of(4, 4), 0, 2);
    bounds.publish(Float64Array.of(2, 8), 0, 2);
    const local = Float64Array.of(Infinity, 1);
    bounds.tighten(local, 0, 2);
    expect(Array.from(local)).toEqual([2, 1]);
  });

  it('touches only the rows asked for', () => {
    const bounds = SharedBounds.create(4);
    bounds.publish(Float64Array.of(1, 1, 1, 1), 1, 3);
    const local = new Float64Array(4).fill(Infinity);
    bounds.tighten(local, 0, 4);
    expect(Array.from(local)).toEqual([Infinity, 1, 1, Infinity]);
    const partial = new Float64Array(4).fill(Infinity);
    bounds.tighten(partial, 2, 4);
    expect(Array.from(partial)).toEqual([Infinity, Infinity, 1, Infinity]);
  });
});
