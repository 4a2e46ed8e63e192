/** Where the phases go: a prom-client Histogram with a `phase` label, or a recorder that reports them later. */
export interface PhaseSink {
  observe(labels: { phase: string }, seconds: number): void;
}

/**
 * Observes, under a `phase` label, the time since the previous call (or since creation): a
 * handler calls it after each stage, and the histogram's sums show where a batch's time went.
 */
export function phaseTimer(histogram: PhaseSink): (phase: string) => void {
  let last = process.hrtime.bigint();
  return (phase) => {
    const now = process.hrtime.bigint();
    histogram.observe({ phase }, Number(now - last) / 1e9);
    last = now;
  };
}
