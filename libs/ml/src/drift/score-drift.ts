import { ks2SampleSorted, type KsResult } from './ks';
import { psiSorted, type PsiResult } from './psi';
import { sortedCopy, type NumericSample } from './sorted-sample';

/**
 * Drift of the model's own anomaly scores (no labels needed): a shifted score distribution changes
 * the alert rate even when no single feature crosses its drift threshold.
 *
 * The verdict is PSI ≥ `psiThreshold` (default 0.2, the usual "significant shift" line between
 * 0.1 "moderate" and 0.25 "major"): PSI measures how much the mass moved, which is what moves the
 * alert rate. KS (SciPy-exact p-value) is reported beside it, with its own flag at `ksAlpha`
 * (default 0.01), for the record — at 1 000-score batches KS finds shifts too small to act on.
 */
export interface ScoreDriftOptions {
  psiBins?: number;
  psiThreshold?: number;
  ksAlpha?: number;
  /** Fewer batch scores than this give 'insufficient_data' and no verdict (default 100). */
  minScores?: number;
}

export interface ScoreDriftReport {
  status: 'tested' | 'insufficient_data';
  drifted: boolean;
  psi?: PsiResult;
  severity?: 'stable' | 'moderate' | 'major';
  ks?: KsResult;
  ksDrifted?: boolean;
}

export function scoreDrift(baselineScores: NumericSample, batchScores: NumericSample, options: ScoreDriftOptions = {}): ScoreDriftReport {
  const reference = sortedCopy(baselineScores);
  const batch = sortedCopy(batchScores);
  const minScores = options.minScores ?? 100;
  if (batch.length < minScores || reference.length < minScores) return { status: 'insufficient_data', drifted: false };
  const psi = psiSorted(reference, batch, { bins: options.psiBins ?? 10 });
  const ks = ks2SampleSorted(reference, batch);
  return {
    status: 'tested',
    drifted: psi.psi >= (options.psiThreshold ?? 0.2),
    psi,
    severity: psi.psi < 0.1 ? 'stable' : psi.psi < 0.25 ? 'moderate' : 'major',
    ks,
    ksDrifted: ks.pValue < (options.ksAlpha ?? 0.01),
  };
}
