import { SeededRandom } from './seeded-random';

/**
 * k distinct row indices out of n (Floyd's algorithm): touches k entries, not n, so drawing 256 rows
 * from a million-row matrix costs the same as from a thousand-row one.
 */
export function sampleWithoutReplacement(n: number, k: number, random: SeededRandom): Int32Array {
  const out = new Int32Array(k);
  if (k === n) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  const chosen = new Set<number>();
  let w = 0;
  for (let j = n - k; j < n; j++) {
    const t = random.nextInt(j + 1);
    const pick = chosen.has(t) ? j : t;
    chosen.add(pick);
    out[w++] = pick;
  }
  return out;
}

export function sampleWithReplacement(n: number, k: number, random: SeededRandom): Int32Array {
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = random.nextInt(n);
  return out;
}
