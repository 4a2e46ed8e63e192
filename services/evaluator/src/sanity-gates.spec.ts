import { alertRateLimit, GateEvidence, sanityGates } from './sanity-gates';

const settings = { agreementTolerance: 1e-5, maxAlertRateFactor: 3 };
const healthy: GateEvidence = { agreement: { rows: 2000, maxAbsDiff: 6e-8 }, finiteScores: true, normalAlertRate: 0.0012, normalRows: 1_000_000, targetAlertRate: 0.001, rocAuc: 0.93 };
const failed = (evidence: GateEvidence) => sanityGates(evidence, settings).filter((g) => !g.passed).map((g) => g.gate);

describe('sanity gates', () => {
  it('passes a model whose engines agree, whose scores are finite, that keeps the alert budget and beats chance', () => {
    expect(sanityGates(healthy, settings).map((g) => [g.gate, g.passed])).toEqual([
      ['engine-agreement', true],
      ['finite-scores', true],
      ['alert-rate', true],
      ['better-than-chance', true],
    ]);
  });

  it('fails engine agreement beyond the tolerance, or when the kernel could not read the model', () => {
    expect(failed({ ...healthy, agreement: { rows: 2000, maxAbsDiff: 2e-3 } })).toEqual(['engine-agreement']);
    const unreadable = sanityGates({ ...healthy, agreement: { rows: 2000, maxAbsDiff: Infinity, error: 'the forest kernel cannot read the model: bad tree' } }, settings);
    expect(unreadable[0]).toMatchObject({ passed: false, detail: 'the forest kernel cannot read the model: bad tree' });
  });

  it('fails non-finite scores', () => {
    expect(failed({ ...healthy, finiteScores: false })).toEqual(['finite-scores']);
  });

  it('allows up to the factor times the target alert rate on a large holdout, and fails without a target to check', () => {
    expect(failed({ ...healthy, normalAlertRate: 0.003 })).toEqual([]);
    expect(failed({ ...healthy, normalAlertRate: 0.0032 })).toEqual(['alert-rate']);
    expect(failed({ ...healthy, targetAlertRate: null })).toEqual(['alert-rate']);
  });

  it('widens the limit by three standard errors on a small holdout, so counting noise does not reject a model', () => {
    // 4,000 rows at a 0.1% target: 3 × 0.1% + 3 × 0.05% = 0.45%.
    expect(alertRateLimit(0.001, 4_000, 3)).toBeCloseTo(0.0045, 4);
    expect(failed({ ...healthy, normalRows: 4_000, normalAlertRate: 13 / 4_000 })).toEqual([]);
    expect(failed({ ...healthy, normalRows: 4_000, normalAlertRate: 20 / 4_000 })).toEqual(['alert-rate']);
    expect(sanityGates({ ...healthy, normalRows: 4_000 }, settings).find((g) => g.gate === 'alert-rate')!.detail).toContain('4000 held-out normal rows');
  });

  it('requires ROC-AUC above 0.5 only when the holdout is labelled', () => {
    expect(failed({ ...healthy, rocAuc: 0.5 })).toEqual(['better-than-chance']);
    expect(sanityGates({ ...healthy, rocAuc: undefined }, settings).map((g) => g.gate)).not.toContain('better-than-chance');
  });
});
