/**
 * Indices of the k highest scores (higher = more anomalous, the libs/ml convention), highest
 * first. A tie at the k-th place is broken by position (the earlier row wins), so the answer never
 * depends on sort stability. A k-sized heap, not a full sort: k is an analyst's queue, the sample
 * may be hundreds of thousands of rows.
 */
export function topKIndices(scores: ArrayLike<number>, k: number): Uint32Array {
  if (!Number.isInteger(k) || k <= 0) throw new RangeError('k must be a positive integer');
  const size = Math.min(k, scores.length);
  // Min-heap on (score, then later position = lower): its root is the weakest of the k kept so far.
  const heap = new Uint32Array(size);
  const weaker = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let least = at;
      if (l < size && weaker(heap[l], heap[least])) least = l;
      if (r < size && weaker(heap[r], heap[least])) least = r;
      if (least === at) return;
      [heap[at], heap[least]] = [heap[least], heap[at]];
      at = least;
    }
  };
  for (let i = 0; i < size; i++) heap[i] = i;
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(i);
  for (let i = size; i < scores.length; i++) {
    if (weaker(heap[0], i)) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => scores[b] - scores[a] || a - b);
}

/**
 * Share of the k events one scorer ranks highest that the other also ranks among its k highest:
 * the overlap of two analysts' first k alerts. 1 when both would send the same flows to triage,
 * whatever their scales; with unlabelled traffic it is the plainest "would anything change" figure.
 * k larger than the sample is capped at the sample size.
 */
export function topKOverlap(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  if (a.length !== b.length) throw new RangeError(`samples differ in length (${a.length} and ${b.length})`);
  if (a.length === 0) throw new RangeError('top-k overlap needs scores');
  const inB = new Set(topKIndices(b, k));
  const topA = topKIndices(a, k);
  let shared = 0;
  for (const i of topA) if (inB.has(i)) shared++;
  return shared / topA.length;
}
