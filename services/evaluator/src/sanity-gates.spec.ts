import { GateEvidence, sanityGates } from './sanity-gates';

const settings = { agreementTolerance: 1e-5, maxAlertRateFactor: 3 };
const healthy: GateEvidence = { agreement: { rows: 2000, maxAbsDiff: 6e-8 }, finiteScores: true, normalAlertRate: 0.0012, targetAlertRate: 0.001, rocAuc: 0.93 };
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

  it('allows up to the factor times the target alert rate on normal rows, and fails without a target to check', () => {
    expect(failed({ ...healthy, normalAlertRate: 0.003 })).toEqual([]);
    expect(failed({ ...healthy, normalAlertRate: 0.0031 })).toEqual(['alert-rate']);
    expect(failed({ ...healthy, targetAlertRate: null })).toEqual(['alert-rate']);
  });

  it('requires ROC-AUC above 0.5 only when the holdout is labelled', () => {
    expect(failed({ ...healthy, rocAuc: 0.5 })).toEqual(['better-than-chance']);
    expect(sanityGates({ ...healthy, rocAuc: undefined }, settings).map((g) => g.gate)).not.toContain('better-than-chance');
  });
});
