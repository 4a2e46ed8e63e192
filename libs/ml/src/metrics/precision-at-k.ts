import { rankByScore, type Labels, type Scores } from './ranking';

/**
 * Precision among the k highest-scored events — the share of real anomalies in an analyst's first
 * k alerts. When a tie straddles position k we count the tied group's anomalies pro rata (the
 * expected precision under random tie-breaking), so the result never depends on input order.
 */
export function precisionAtK(labels: Labels, scores: Scores, k: number): number {
  if (!Number.isInteger(k) || k <= 0) throw new RangeError('k must be a positive integer');
  const { points } = rankByScore(labels, scores);
  const take = Math.min(k, scores.length);
  let prevTp = 0;
  let prevCount = 0;
  for (const p of points) {
    const count = p.truePositives + p.falsePositives;
    if (count >= take) {
      const groupSize = count - prevCount;
      const groupPositives = p.truePositives - prevTp;
      return (prevTp + (groupPositives * (take - prevCount)) / groupSize) / take;
    }
    prevTp = p.truePositives;
    prevCount = count;
  }
  return 0;
}
