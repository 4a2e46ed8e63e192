import { logBinomial, logGamma } from './special-functions';

/**
 * Distribution of the one-sample two-sided Kolmogorov statistic D_n for finite n, i.e.
 * scipy.stats.kstwo.sf(d, n). ks_2samp needs it only on its asymptotic path, where SciPy evaluates
 * kstwo.sf(d, round(n1*n2/(n1+n2))). We follow the same region split as SciPy (Simard & L'Ecuyer
 * 2011) so the p-values agree: Ruben–Gambino closed forms at the extremes, 2·Smirnov in the upper
 * tail, the Durbin matrix (Marsaglia–Tsang–Wang) where it is cheap, Pelz–Good elsewhere. Where SciPy
 * would use Pomeranz (n <= 140) we use the Durbin matrix: both are exact algorithms, so they agree
 * far below 1e-6.
 */
export function kolmogorovSurvival(n: number, d: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    if (t <= 0.5) return 1;
    // Ruben–Gambino: P(D_n <= d) = n!/n^n (2t - 1)^n for 1/(2n) <= d <= 1/n.
    const logCdf = logGamma(n + 1) - n * Math.log(n) + n * Math.log(2 * t - 1);
    return clip01(1 - Math.exp(logCdf));
  }
  if (t >= n - 1) return clip01(2 * Math.pow(1 - d, n));
  if (d >= 0.5) return clip01(2 * smirnovSurvival(n, d));

  const nd2 = t * d;
  if (n <= 140) {
    if (nd2 <= 4) return clip01(1 - durbinCdf(n, d));
    return clip01(2 * smirnovSurvival(n, d));
  }
  if (nd2 >= 370) return 0;
  if (nd2 >= 2.2) return clip01(2 * smirnovSurvival(n, d));
  if (nd2 >= 18) return 0;
  const cdf = n <= 100_000 && n * Math.pow(d, 1.5) <= 1.4 ? durbinCdf(n, d) : pelzGoodCdf(n, d);
  return clip01(1 - cdf);
}

/**
 * One-sided Smirnov tail P(D_n^+ >= d), Birnbaum–Tingey exact sum, in log space so large n does not
 * overflow the binomial coefficients.
 */
export function smirnovSurvival(n: number, d: number): number {
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const upper = (n - n * d - j) / n;
    const lower = d + j / n;
    if (upper <= 0) {
      if (n - j === 0) sum += Math.exp(logBinomial(n, j) + (j - 1) * Math.log(lower));
      continue;
    }
    sum += Math.exp(logBinomial(n, j) + (n - j) * Math.log(upper) + (j - 1) * Math.log(lower));
  }
  return clip01(d * sum);
}

const SCALE_EXP = 128;
const SCALE_UP = Math.pow(2, SCALE_EXP);
const SCALE_DOWN = Math.pow(2, -SCALE_EXP);

/**
 * P(D_n <= d) by the Durbin matrix method as refined by Marsaglia, Tsang & Wang (2003): the k-th
 * diagonal entry of H^n times n!/n^n, with H an m×m matrix (m = 2k - 1, k = ceil(n d)). Powers are
 * rescaled by 2^128 and the exponent is carried separately, since entries span far more than the
 * double range for large n.
 */
export function durbinCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const invFactorial = new Float64Array(m + 1);
  invFactorial[0] = 1;
  for (let j = 1; j <= m; j++) invFactorial[j] = invFactorial[j - 1] / j;

  let H: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      if (i - j + 1 >= 0) H[i * m + j] = invFactorial[i - j + 1];
    }
  }
  for (let i = 0; i < m; i++) {
    // first column and last row lose the mass cut off by the band edge
    H[i * m] = (1 - Math.pow(h, i + 1)) * invFactorial[i + 1];
    H[(m - 1) * m + (m - 1 - i)] = (1 - Math.pow(h, i + 1)) * invFactorial[i + 1];
  }
  const corner = Math.pow(Math.max(2 * h - 1, 0), m) - 2 * Math.pow(h, m);
  H[(m - 1) * m] = (1 + corner) * invFactorial[m];

  let P: Float64Array = identity(m);
  let pExp = 0;
  let hExp = 0;
  let e = n;
  while (e > 0) {
    if (e % 2 === 1) {
      P = multiply(P, H, m);
      pExp += hExp;
    }
    H = multiply(H, H, m);
    hExp *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]) > SCALE_UP) {
      for (let i = 0; i < H.length; i++) H[i] *= SCALE_DOWN;
      hExp += SCALE_EXP;
    }
    e = Math.floor(e / 2);
  }

  let p = P[(k - 1) * m + (k - 1)];
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      pExp -= SCALE_EXP;
    }
  }
  return clip01(p * Math.pow(2, pExp));
}

/**
 * Pelz–Good (1976) asymptotic series for P(D_n <= d), four terms in powers of n^-1/2, used for
 * large n outside the Durbin region exactly where SciPy uses it.
 */
export function pelzGoodCdf(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const z = Math.sqrt(n) * d;
  const z2 = z * z;
  const z3 = z2 * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const qLog = -pi2 / 8 / z2;
  if (qLog < -708) return 0;
  const q = Math.exp(qLog);

  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;

  // Sums over odd m = 2k - 1 of c_i(m) q^(m^2), Horner-style in q^(8k).
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qp = Math.pow(q, 8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i] * qp + c[i];
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const denominators = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let i = 0; i < 4; i++) K[i] = (K[i] * q * sqrt2pi) / denominators[i];

  // Terms over all integers k for K2 and K3.
  const q2 = Math.exp(-pi2 / 2 / z2);
  let k2Extra = 0;
  let k3Extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxK; k >= 1; k--) {
    const k2 = k * k;
    const qk = Math.pow(q2, k2);
    k2Extra += k2 * qk;
    const kpi = Math.PI * k;
    k3Extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  K[2] += (k2Extra * pi2 * sqrt2pi) / (-36 * z3);
  K[3] += (k3Extra * pi2 * sqrt2pi) / (216 * z6);
  let sum = 0;
  for (let i = 0; i < 4; i++) sum += K[i] / Math.pow(n, i / 2);
  return sum;
}

function identity(m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) out[i * m + i] = 1;
  return out;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let l = 0; l < m; l++) {
      const ail = a[i * m + l];
      if (ail === 0) continue;
      for (let j = 0; j < m; j++) out[i * m + j] += ail * b[l * m + j];
    }
  }
  return out;
}

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
