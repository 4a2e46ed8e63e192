import { Histogram } from 'prom-client';

/**
 * Observes, under a `phase` label, the time since the previous call (or since creation): a
 * handler calls it after each stage, and the histogram's sums show where a batch's time went.
 */
export function phaseTimer(histogram: Histogram<'phase'>): (phase: string) => void {
  let last = process.hrtime.bigint();
  return (phase) => {
    const now = process.hrtime.bigint();
    histogram.observe({ phase }, Number(now - last) / 1e9);
    last = now;
  };
}
