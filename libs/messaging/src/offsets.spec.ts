import { compareOffsets } from './offsets';

describe('compareOffsets', () => {
  it('orders offsets like their numeric values, across lengths and beyond 2^53', () => {
    const offsets = ['0', '9', '10', '99', '100', '123456789', '9007199254740993', '9223372036854775807'];
    for (const a of offsets) {
      for (const b of offsets) {
        const expected = BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0;
        expect(Math.sign(compareOffsets(a, b))).toBe(expected);
      }
    }
  });
});
