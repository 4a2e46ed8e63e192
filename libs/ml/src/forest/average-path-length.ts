const EULER_GAMMA = 0.5772156649015329;

/**
 * c(n): the average path length of an unsuccessful search in a binary search tree of n points,
 * used both to credit the unbuilt subtree below a leaf and to normalise the mean path length.
 * Same piecewise definition as scikit-learn's `_average_path_length` (n <= 1 → 0, n = 2 → 1).
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}
