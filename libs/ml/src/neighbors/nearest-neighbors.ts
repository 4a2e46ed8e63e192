/**
 * Exact k-nearest-neighbour search by brute force over stored rows (float64, row-major).
 *
 * Squared distances are summed from coordinate differences, exact to float64 rounding, with exactly 0
 * for duplicated points (what scikit-learn's tree searches give). Which rows are the k nearest is decided
 * on a key that the ONNX graph can reproduce bit for bit despite its different rounding: the squared
 * distance's logarithm on a grid of 2⁻²⁴ (a relative step of 6e-8, float32's resolution), then the
 * stored index. Distances within one step of each other count as tied, ties go to the lower index (as
 * onnxruntime's TopK), and rounding differences of ~1e-16 move a distance across a grid line only in
 * ~1 case in 10⁷. Integer-valued columns produce exact ties all the time, so without a shared rule
 * the two scorers would pick different, equally near, k-th neighbours. The returned distances are the
 * exact ones; the grid only orders them.
 */
export const LOG_GRID = 2 ** 24;

/** The grid step of a squared distance: round_half_even(ln(d²) · 2²⁴), −Infinity for a duplicate. */
export function distanceStep(distance2: number): number {
  return roundHalfEven(Math.log(distance2) * LOG_GRID);
}

/** Round half to even, as ONNX's Round. */
export function roundHalfEven(v: number): number {
  if (!Number.isFinite(v)) return v;
  const floor = Math.floor(v);
  const fraction = v - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** A candidate this much farther than the current k-th cannot share its grid step (ratio e^(1.5/2²⁴), with margin). */
const OUTSIDE_STEP = 1 + 4 / LOG_GRID;

/**
 * Stored rows (row-major float64) sorted by their projection on the first principal axis. The search walks
 * outwards from the query's projection and stops on each side once the projection gap alone exceeds the
 * current k-th distance (|u·(x − s)| ≤ ‖x − s‖ for a unit u), so it reads a neighbourhood of the stored rows
 * instead of all of them. Exact: the result is the same as a scan of every row.
 */
export interface NeighborIndex {
  readonly rows: Float64Array;
  readonly cols: number;
  readonly count: number;
  readonly axis: Float64Array;
  readonly center: Float64Array;
  /** Stored row indices in ascending projection order, and their projections. */
  readonly order: Int32Array;
  readonly projection: Float64Array;
}

export function neighborIndex(rows: Float64Array, cols: number): NeighborIndex {
  const count = rows.length / cols;
  const center = new Float64Array(cols);
  for (let r = 0; r < count; r++) for (let c = 0; c < cols; c++) center[c] += rows[r * cols + c] / count;
  const axis = principalAxis(rows, cols, center);
  const projected = new Float64Array(count);
  for (let r = 0; r < count; r++) projected[r] = project(rows, r * cols, axis, center);
  const order = Int32Array.from({ length: count }, (_, i) => i).sort((a, b) => projected[a] - projected[b] || a - b);
  return { rows, cols, count, axis, center, order, projection: Float64Array.from(order, (r) => projected[r]) };
}

function project(values: ArrayLike<number>, from: number, axis: Float64Array, center: Float64Array): number {
  let sum = 0;
  for (let c = 0; c < axis.length; c++) sum += (values[from + c] - center[c]) * axis[c];
  return sum;
}

/** The covariance's leading eigenvector by power iteration (a fixed start and count: deterministic). */
function principalAxis(rows: Float64Array, cols: number, center: Float64Array): Float64Array {
  const count = rows.length / cols;
  const covariance = new Float64Array(cols * cols);
  const d = new Float64Array(cols);
  for (let r = 0; r < count; r++) {
    for (let c = 0; c < cols; c++) d[c] = rows[r * cols + c] - center[c];
    for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) covariance[a * cols + b] += d[a] * d[b];
  }
  let axis = new Float64Array(cols).fill(1 / Math.sqrt(cols));
  for (let iteration = 0; iteration < 50; iteration++) {
    const next = new Float64Array(cols);
    for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) next[a] += covariance[a * cols + b] * axis[b];
    const norm = Math.hypot(...next);
    if (!(norm > 0)) break; // constant data: any unit axis is as good
    for (let a = 0; a < cols; a++) next[a] /= norm;
    axis = next;
  }
  return axis;
}

/**
 * The k stored rows nearest to row `queryRow` of `queryValues`, skipping stored row `exclude` (−1 for
 * none), ordered by (grid step, index). Writes their indices and exact squared distances into the out
 * arrays. A candidate is dropped as soon as its partial sum is past the k-th distance by more than a grid
 * step, and a side of the sweep ends once the projection gap is.
 */
export function kNearest(
  index: NeighborIndex,
  queryValues: Float64Array,
  queryRow: number,
  k: number,
  exclude: number,
  outIndex: Int32Array,
  outDistance2: Float64Array,
  steps: Float64Array,
): void {
  const { rows, cols, count, order, projection } = index;
  const q = queryRow * cols;
  const p = project(queryValues, q, index.axis, index.center);
  let hi = lowerBound(projection, p);
  let lo = hi - 1;
  let filled = 0;
  let bound = Infinity;
  while (lo >= 0 || hi < count) {
    // The side whose next row is nearer in projection goes first.
    const gapLo = lo >= 0 ? p - projection[lo] : Infinity;
    const gapHi = hi < count ? projection[hi] - p : Infinity;
    const fromLo = gapLo <= gapHi;
    const gap = fromLo ? gapLo : gapHi;
    if (gap * gap > bound) break; // both sides are past the k-th distance
    const r = fromLo ? order[lo--] : order[hi++];
    if (r === exclude) continue;
    const base = r * cols;
    let d2 = 0;
    let c = 0;
    for (; c < cols; c++) {
      const d = queryValues[q + c] - rows[base + c];
      d2 += d * d;
      if (d2 > bound) break;
    }
    if (c < cols) continue;
    filled = offerNeighbor(steps, outDistance2, outIndex, 0, k, filled, r, d2);
    if (filled === k) bound = neighborBound(outDistance2, 0, k);
  }
  if (filled < k) throw new RangeError(`asked for ${k} neighbours among ${count - (exclude >= 0 ? 1 : 0)} rows`);
}

/** First position whose projection is ≥ v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Offers stored row r at exact squared distance d2 to the neighbour list at [at, at + k) of the three
 * arrays, which holds `filled` entries ordered by (grid step, index); returns the new fill. Rows may be
 * offered in any order: the list ends as the k least by (step, index) of all rows offered. A caller that
 * offers one distance to two lists, or holds its step already, passes `step` (a logarithm saved per offer).
 */
export function offerNeighbor(steps: Float64Array, distance2: Float64Array, index: Int32Array, at: number, k: number, filled: number, r: number, d2: number, step = distanceStep(d2)): number {
  const last = at + k - 1;
  if (filled === k && !(step < steps[last] || (step === steps[last] && r < index[last]))) return filled;
  let p = filled < k ? at + filled++ : last;
  while (p > at && (steps[p - 1] > step || (steps[p - 1] === step && index[p - 1] > r))) {
    steps[p] = steps[p - 1];
    distance2[p] = distance2[p - 1];
    index[p] = index[p - 1];
    p--;
  }
  steps[p] = step;
  distance2[p] = d2;
  index[p] = r;
  return filled;
}

/**
 * The squared-distance bound past which a row cannot enter a full list. Only a row whose grid step is at most
 * the last entry's can enter, and steps round ln d² · 2²⁴ to within ½, so such a row lies within e^(1/2²⁴) of
 * the last entry's distance: that distance times OUTSIDE_STEP bounds it. The last entry need not hold the
 * list's largest distance (within one step the list is ordered by index), and does not have to.
 */
export function neighborBound(distance2: Float64Array, at: number, k: number): number {
  return distance2[at + k - 1] * OUTSIDE_STEP;
}
