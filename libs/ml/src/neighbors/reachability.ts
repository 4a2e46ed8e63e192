/**
 * sklearn's `_local_reachability_density` for one row: 1 / (mean over its k neighbours o of
 * max(d(row, o), k-distance(o)) + 1e-10). The 1e-10 keeps a row inside a cluster of more than k
 * duplicates finite (density 1e10) rather than dividing by zero.
 */
export const LRD_EPSILON = 1e-10;

/** The mean reachability distance; the density is 1 / (this + LRD_EPSILON). */
export function meanReachDistance(neighbors: Int32Array, distance2: Float64Array, kDistance: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < neighbors.length; j++) sum += Math.max(Math.sqrt(distance2[j]), kDistance[neighbors[j]]);
  return sum / neighbors.length;
}
