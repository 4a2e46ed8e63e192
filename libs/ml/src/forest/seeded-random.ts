/**
 * xoshiro128** seeded through splitmix32: small state, 32-bit integer arithmetic only (fast in V8),
 * and a fixed, documented algorithm so the same seed yields the same forest on every platform.
 * Math.random is unusable here: models must be byte-identical for the same data and seed.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits, like numpy's random_sample. */
  nextDouble(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, bound) without modulo bias (Lemire's rejection on the 32-bit range). */
  nextInt(bound: number): number {
    if (bound <= 0 || bound > 0x100000000) throw new RangeError(`bound must be in (0, 2^32], got ${bound}`);
    const limit = 0x100000000 - (0x100000000 % bound);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % bound;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
