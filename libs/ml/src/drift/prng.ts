/**
 * Small seeded PRNG (mulberry32): baselines sample reservoirs reproducibly — the same reference data
 * and seed give byte-identical statistics.json — and tests draw reproducible batches.
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box–Muller), for simulations and tests. */
export function normalSampler(random: Random): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * Uniform sample of at most `capacity` items from a stream (Vitter's Algorithm R): every item ends
 * up in the sample with probability capacity / n, so tests against the sample are tests against an
 * unbiased subsample of the reference.
 */
export function reservoirSample(values: ArrayLike<number>, capacity: number, random: Random): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (out.length < capacity) out.push(values[i]);
    else {
      const j = Math.floor(random() * (i + 1));
      if (j < capacity) out[j] = values[i];
    }
  }
  return out;
}
