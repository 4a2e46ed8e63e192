/**
 * The credit every split on a row's path in one tree receives: how much earlier than an ordinary row
 * the tree isolated it, on DIFFI's 1/depth scale, max(0, 1/h − 1/c(ψ)).
 *
 * - 1/h (DIFFI): a tree that isolates the row after few splits says more about it than one that needed
 *   many. h is the leaf's path length depth + c(size), the quantity the anomaly score averages, so a leaf
 *   that stopped at the height limit with many training rows counts as deep, as the score counts it.
 * - − 1/c(ψ): local DIFFI subtracts the credit of the longest possible path (1/h_max) so that trees which
 *   did not single the row out add nothing. With the c(size) adjustment a path can be longer than h_max, so
 *   the reference here is c(ψ) (ψ = max_samples), the mean path length the score is normalised by: the
 *   score is above 0.5 exactly when the row's paths are on average shorter than c(ψ), so a tree whose path
 *   is at least that long voted "normal" and its splits are not reasons for an anomaly.
 */
export function isolationWeight(pathLength: number, referencePathLength: number): number {
  if (!(pathLength > 0)) return 0;
  return Math.max(0, 1 / pathLength - 1 / referencePathLength);
}
