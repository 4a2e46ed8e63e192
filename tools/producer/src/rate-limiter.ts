/**
 * Token bucket pacing the producer. Tokens accrue at `ratePerSec` up to `burst`; taking more
 * tokens than are available is allowed and returns how long to wait for the debt to be paid,
 * so a batch larger than the bucket still goes out at the right average rate. Time comes from
 * an injected clock so the arithmetic can be tested without waiting.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSec > 0)) throw new RangeError('rate must be positive');
    if (!(burst > 0)) throw new RangeError('burst must be positive');
    // Start empty: the first batch waits its share instead of bursting at start-up.
    this.tokens = 0;
    this.last = now();
  }

  /** Takes `n` tokens and returns the milliseconds to wait before using them (0 if available now). */
  take(n: number): number {
    this.refill();
    this.tokens -= n;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.ratePerSec) * 1000;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSec);
    this.last = t;
  }
}
